/**
 * Reads comma- or tab-separated text as the portal exports it (RFC 4180 quoting, LF or CRLF line
 * ends). Returns one record per data line keyed by the header; every value is the exact source text.
 */
export function readDelimited(text: string, separator = ','): Record<string, string>[] {
  const [header, ...lines] = parseRows(text.replace(/^\uFEFF/, ''), separator);
  if (!header) return [];
  return lines
    .filter((fields) => fields.length > 1 || fields[0] !== '')
    .map((fields, index) => {
      if (fields.length !== header.length) {
        throw new Error(`data line ${index + 1}: ${fields.length} fields, the header has ${header.length}`);
      }
      return Object.fromEntries(header.map((name, column) => [name, fields[column]!]));
    });
}

function parseRows(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
