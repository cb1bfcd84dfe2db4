import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

const COLUMNS = ['span', 'status', 'error code', 'ms', '1st ms', 'request id', 'tok in', 'tok out', 'finish', 'req left', 'tok left', 'req reset', 'tok reset', 'retry'] as const;
const WIDTHS = [34, 6, 19, 7, 6, 16, 6, 7, 8, 8, 8, 9, 9, 6];

/** Prints each finished span as one row of a compact table, for `npm run demo`. */
export class SpanTableExporter implements SpanExporter {
  private printedHeader = false;
  rows = 0;

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (!this.printedHeader) {
      this.print([...COLUMNS]);
      this.print(WIDTHS.map((w) => '-'.repeat(w)));
      this.printedHeader = true;
    }
    for (const span of spans) {
      const a = span.attributes;
      const status = a['error.type'] ?? a['http.response.status_code'] ?? '';
      const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      const requestId = String(a['openai.request.id'] ?? '');
      this.print([
        span.name + (a['http.request.resend_count'] ? ` (retry ${String(a['http.request.resend_count'])})` : ''),
        String(status),
        // Both 429s look alike by status: the error body's code says which one it was.
        fmt(a['openai.error.code']),
        ms.toFixed(1),
        // Time to the first data event of a stream: the keep-alive comments of a queued stream do not count.
        typeof a['gen_ai.response.time_to_first_chunk'] === 'number' ? (a['gen_ai.response.time_to_first_chunk'] * 1000).toFixed(0) : '-',
        requestId.length > 16 ? requestId.slice(0, 15) + '…' : requestId,
        fmt(a['gen_ai.usage.input_tokens']),
        fmt(a['gen_ai.usage.output_tokens']),
        list(a['gen_ai.response.finish_reasons']),
        fmt(a['openai.ratelimit.requests.remaining']),
        fmt(a['openai.ratelimit.tokens.remaining']),
        seconds(a['openai.ratelimit.requests.reset']),
        seconds(a['openai.ratelimit.tokens.reset']),
        seconds(a['openai.retry_after']),
      ]);
      this.rows++;
    }
    done({ code: 0 });
  }

  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}

  private print(cells: string[]): void {
    console.log(cells.map((c, i) => c.padEnd(WIDTHS[i] ?? 8).slice(0, WIDTHS[i] ?? 8)).join(' '));
  }
}

function fmt(value: unknown): string {
  return value === undefined ? '-' : String(value);
}

function list(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.join(',') : '-';
}

function seconds(value: unknown): string {
  return typeof value === 'number' ? `${value.toFixed(value < 10 ? 2 : 0)}s` : '-';
}
