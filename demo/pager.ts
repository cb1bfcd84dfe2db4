// A stand-in pager for docker-compose.yml and the stack tests: the webhook receiver that
// deploy/alertmanager/alertmanager.yml sends notifications to. Each notification (Alertmanager's
// webhook payload, version 4) is printed as one JSON line, `{"at", "receiver", "notification"}`,
// where receiver is the URL path (/paging, /quiet), and the last 200 are served at
// GET /notifications. GET /healthz answers 200. Replace it with your pager: see
// deploy/README.md, "Alertmanager".
//
//   node demo/pager.ts          (PORT, default 9095; HOST, default 127.0.0.1)
import { createServer } from 'node:http';

const KEEP = 200;
const MAX_BODY_BYTES = 1024 * 1024;

interface Received {
  readonly at: string;
  readonly receiver: string;
  readonly notification: unknown;
}

const received: Received[] = [];

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'GET' && path === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (req.method === 'GET' && path === '/notifications') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    let notification: unknown;
    try {
      if (size > MAX_BODY_BYTES) throw new Error(`body over ${MAX_BODY_BYTES} bytes`);
      notification = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      // Alertmanager does not retry a 4xx, so this line is the only trace of it.
      console.error(`pager: ${path}: not a JSON notification: ${String(error)}`);
      res.writeHead(400).end();
      return;
    }
    const entry = { at: new Date().toISOString(), receiver: path, notification };
    received.push(entry);
    if (received.length > KEEP) received.shift();
    console.log(JSON.stringify(entry));
    res.writeHead(200).end();
  });
});

const port = Number(process.env['PORT'] ?? '9095');
const host = process.env['HOST'] ?? '127.0.0.1';
server.listen(port, host, () => console.error(`pager: listening on http://${host}:${port} (POST any path; GET /notifications)`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
