/** A quoted SQL identifier. Names come from dataset definitions and code, never from users. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
