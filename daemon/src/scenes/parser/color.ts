/**
 * Converts an HTML colour code (`#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`,
 * as Godot's Color.html reads it) to r, g, b, a components in 0..1.
 * Returns undefined for any other length.
 */
export function parseHtmlColor(code: string): number[] | undefined {
  const hex = code.startsWith('#') ? code.slice(1) : code;
  if (hex.length === 3 || hex.length === 4) {
    const digits = [...hex].map((d) => parseInt(d, 16) / 15);
    return digits.length === 3 ? [...digits, 1] : digits;
  }
  if (hex.length === 6 || hex.length === 8) {
    const bytes: number[] = [];
    for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16) / 255);
    return bytes.length === 3 ? [...bytes, 1] : bytes;
  }
  return undefined;
}
