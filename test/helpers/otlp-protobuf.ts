/**
 * Just enough of the protobuf wire format to read OTLP trace exports (ExportTraceServiceRequest),
 * the encoding the SDK uses by default (`http/protobuf`) and so what the Collector receives in
 * docker-compose.yml. Field numbers from opentelemetry-proto:
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/trace/v1/trace.proto
 */
export interface DecodedSpan {
  readonly name: string;
  readonly kind: number;
  readonly scope: string;
  readonly resource: Record<string, unknown>;
  readonly attributes: Record<string, unknown>;
  /** Status.code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

interface Field {
  readonly no: number;
  readonly varint?: bigint;
  readonly bytes?: Uint8Array;
  readonly fixed64?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[at++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    switch (key & 7) {
      case 0:
        yield { no, varint: varint() };
        break;
      case 1:
        yield { no, fixed64: buf.subarray(at, (at += 8)) };
        break;
      case 2: {
        const length = Number(varint());
        yield { no, bytes: buf.subarray(at, (at += length)) };
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
}

const utf8 = new TextDecoder();
const str = (f: Field): string => utf8.decode(f.bytes);

function anyValue(buf: Uint8Array): unknown {
  for (const f of fields(buf)) {
    if (f.no === 1) return str(f);
    if (f.no === 2) return f.varint === 1n;
    if (f.no === 3 && f.varint !== undefined) return Number(BigInt.asIntN(64, f.varint));
    if (f.no === 4 && f.fixed64) return new DataView(f.fixed64.buffer, f.fixed64.byteOffset, 8).getFloat64(0, true);
    if (f.no === 5 && f.bytes) return [...fields(f.bytes)].filter((v) => v.no === 1 && v.bytes).map((v) => anyValue(v.bytes ?? new Uint8Array()));
  }
  return undefined;
}

function keyValues(list: Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list) {
    let key = '';
    let value: unknown;
    for (const f of fields(kv.bytes ?? new Uint8Array())) {
      if (f.no === 1) key = str(f);
      else if (f.no === 2 && f.bytes) value = anyValue(f.bytes);
    }
    out[key] = value;
  }
  return out;
}

const sub = (buf: Uint8Array, no: number): Field[] => [...fields(buf)].filter((f) => f.no === no && f.bytes);

/** Every span in one ExportTraceServiceRequest body. */
export function decodeTraceRequest(body: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  for (const rs of sub(body, 1)) {
    const rsBytes = rs.bytes ?? new Uint8Array();
    const resourceField = sub(rsBytes, 1)[0];
    const resource = resourceField?.bytes ? keyValues(sub(resourceField.bytes, 1)) : {};
    for (const ss of sub(rsBytes, 2)) {
      const ssBytes = ss.bytes ?? new Uint8Array();
      const scopeField = sub(ssBytes, 1)[0];
      const scopeName = scopeField?.bytes ? sub(scopeField.bytes, 1).map(str)[0] ?? '' : '';
      for (const span of sub(ssBytes, 2)) {
        const spanBytes = span.bytes ?? new Uint8Array();
        let name = '';
        let kind = 0;
        let statusCode = 0;
        for (const f of fields(spanBytes)) {
          if (f.no === 5) name = str(f);
          else if (f.no === 6) kind = Number(f.varint ?? 0n);
          else if (f.no === 15 && f.bytes) for (const s of fields(f.bytes)) if (s.no === 3) statusCode = Number(s.varint ?? 0n);
        }
        spans.push({ name, kind, scope: scopeName, resource, attributes: keyValues(sub(spanBytes, 9)), statusCode });
      }
    }
  }
  return spans;
}
