/**
 * Endpoint URLs often carry a credential in their path (Discord's and Slack's webhook tokens, Home Assistant's
 * webhook id): they are stored encrypted and shown masked after creation — the origin and the path with every
 * segment after the first two replaced by its last four characters.
 */
export function maskUrl(url: string): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/');
  const masked = segments.map((segment, i) =>
    i <= 2 || segment.length <= 4 ? segment : `••••${segment.slice(-4)}`,
  );
  return `${parsed.origin}${masked.join('/')}${parsed.search ? '?••••' : ''}`;
}
