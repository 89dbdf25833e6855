/**
 * The steps that turn a provider's HTML event body into text (Outlook's and Google Calendar's
 * converters) which a regular expression would take quadratic time on: V8 retries a failing match
 * from every start, so `/<[^>]*>/g` scans to the end of the text from each `<` that has no `>`
 * after it, and 64 KB of "<" held the daemon for 5 s. Each step here reads the text once.
 */

/** The text without its tags: what `text.replace(/<[^>]*>/g, '')` gives. */
export function withoutTags(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('<'); open !== -1; open = text.indexOf('<', from)) {
    const close = text.indexOf('>', open + 1);
    if (close === -1) break;
    out += text.slice(from, open);
    from = close + 1;
  }
  return out + text.slice(from);
}

/** Whether the text has a tag: what `/<[a-z/][^>]*>/i.test(text)` tells. */
export function hasTag(text: string): boolean {
  const open = /<[a-z/]/i.exec(text);
  return open !== null && text.includes('>', open.index + 2);
}

const BLOCK = /<(head|style|script)\b/gi;

/**
 * The text without its head, style and script elements, tags and content: what
 * `text.replace(/<(head|style|script)\b[\s\S]*?<\/\1\s*>/gi, '')` gives. An element never closed
 * is left as it is, and so is each later one of its name, which cannot be closed either.
 */
export function withoutBlocks(text: string): string {
  const unclosed = new Set<string>();
  let out = '';
  let from = 0;
  BLOCK.lastIndex = 0;
  for (let open = BLOCK.exec(text); open !== null; open = BLOCK.exec(text)) {
    const name = (open[1] ?? '').toLowerCase();
    if (unclosed.has(name)) continue;
    const close = new RegExp(`</${name}\\s*>`, 'gi');
    close.lastIndex = BLOCK.lastIndex;
    const end = close.exec(text);
    if (end === null) {
      unclosed.add(name);
      continue;
    }
    out += text.slice(from, open.index);
    from = end.index + end[0].length;
    BLOCK.lastIndex = from;
  }
  return out + text.slice(from);
}

const BLANKS = ' \t\u00a0';

/** The text without the spaces, tabs and no-break spaces that end its lines (before a `\n`). */
export function withoutSpacesBeforeBreaks(text: string): string {
  const lines = text.split('\n');
  return lines.map((line, i) => (i === lines.length - 1 ? line : trimEnd(line))).join('\n');
}

function trimEnd(line: string): string {
  let end = line.length;
  while (end > 0 && BLANKS.includes(line.charAt(end - 1))) end -= 1;
  return line.slice(0, end);
}
