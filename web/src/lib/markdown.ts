/**
 * A small, safe Markdown reader for proposal descriptions: headings, paragraphs, lists, quotes, emphasis,
 * code and links. It builds a tree the screen renders as React elements, so raw HTML in a description is
 * shown as the text it is, never run; links keep only http(s) and mailto addresses.
 */

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong" | "em"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "break" };

export type Block =
  | { type: "heading"; level: number; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  | { type: "quote"; children: Inline[] }
  | { type: "code"; text: string };

/** Descriptions are bounded on-chain by gas, not by us: cap what is parsed. */
const MAX_CHARS = 20_000;

export function safeHref(href: string): string | null {
  const h = href.trim();
  return /^(https?:\/\/|mailto:)[^\s<>"]+$/i.test(h) ? h : null;
}

/** Inline Markdown: `code`, **strong**, *em* / _em_, [text](href) (one level of parentheses in href), line breaks. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^`([^`\n]+)`/.exec(rest))) {
      flush();
      out.push({ type: "code", text: m[1] });
    } else if ((m = /^\*\*([^*\n](?:[^*\n]|\*(?!\*))*?)\*\*/.exec(rest))) {
      flush();
      out.push({ type: "strong", children: parseInline(m[1]) });
    } else if ((m = /^(?:\*([^*\s][^*\n]*?)\*|_([^_\s][^_\n]*?)_(?![A-Za-z0-9]))/.exec(rest))) {
      flush();
      out.push({ type: "em", children: parseInline(m[1] ?? m[2]) });
    } else if ((m = /^\[([^\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/.exec(rest))) {
      const href = safeHref(m[2]);
      flush();
      if (href) out.push({ type: "link", href, children: parseInline(m[1]) });
      else out.push({ type: "text", text: m[1] });
    } else if (rest.startsWith("\n")) {
      flush();
      out.push({ type: "break" });
      m = /^\n/.exec(rest);
    } else {
      plain += text[i];
      i++;
      continue;
    }
    i += m![0].length;
  }
  flush();
  return out;
}

/** Blocks of a Markdown text (CommonMark's common subset). */
export function parseMarkdown(source: string): Block[] {
  const lines = source.slice(0, MAX_CHARS).replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  const isBlank = (l: string) => l.trim() === "";
  const bullet = /^\s{0,3}[-*+]\s+(.*)$/;
  const numbered = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    if (/^\s{0,3}```/.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s{0,3}```/.test(lines[i])) body.push(lines[i++]);
      i++;
      blocks.push({ type: "code", text: body.join("\n") });
    } else if ((m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
      blocks.push({ type: "heading", level: m[1].length, children: parseInline(m[2]) });
      i++;
    } else if (bullet.test(line) || numbered.test(line)) {
      const ordered = !bullet.test(line);
      const re = ordered ? numbered : bullet;
      const items: Inline[][] = [];
      while (i < lines.length && re.test(lines[i])) {
        const item = [re.exec(lines[i])![1]];
        i++;
        // Indented lines continue the item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !re.test(lines[i]))
          item.push(lines[i++].trim());
        items.push(parseInline(item.join(" ")));
      }
      blocks.push({ type: "list", ordered, items });
    } else if (/^\s{0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]))
        body.push(lines[i++].replace(/^\s{0,3}>\s?/, ""));
      blocks.push({ type: "quote", children: parseInline(body.join("\n")) });
    } else {
      const body: string[] = [];
      while (
        i < lines.length &&
        !isBlank(lines[i]) &&
        !/^\s{0,3}(#{1,6}\s|```|>)/.test(lines[i]) &&
        !bullet.test(lines[i]) &&
        !numbered.test(lines[i])
      )
        body.push(lines[i++].trim());
      blocks.push({ type: "paragraph", children: parseInline(body.join("\n")) });
    }
  }
  return blocks;
}
