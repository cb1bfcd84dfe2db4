/** JSON's insignificant whitespace (RFC 8259, section 2): space, tab, line feed, carriage return. */
export function isJsonSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
