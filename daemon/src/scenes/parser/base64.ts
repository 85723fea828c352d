const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a standard base64 string as the format 4 PackedByteArray uses it.
 * Node's decoder skips invalid characters silently, so the text is checked
 * first. Returns undefined when it is not valid base64.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !BASE64_PATTERN.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}
