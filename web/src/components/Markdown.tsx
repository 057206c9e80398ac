/** A proposal's description as safe Markdown (lib/markdown.ts): React elements only, never raw HTML. */
import type { ReactNode } from "react";
import { type Block, type Inline, parseMarkdown } from "../lib/markdown.ts";

function inline(nodes: Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.type) {
      case "text":
        return n.text;
      case "strong":
        return <strong key={i}>{inline(n.children)}</strong>;
      case "em":
        return <em key={i}>{inline(n.children)}</em>;
      case "code":
        return <code key={i}>{n.text}</code>;
      case "break":
        return <br key={i} />;
      case "link":
        return (
          <a key={i} href={n.href} rel="noopener noreferrer nofollow" target="_blank">
            {inline(n.children)}
          </a>
        );
    }
  });
}

/** `baseLevel`: the level the description's largest heading becomes, below the page's own headings. */
export function Markdown({ source, baseLevel = 3 }: { source: string; baseLevel?: number }) {
  const blocks: Block[] = parseMarkdown(source);
  // The description's largest heading sits right below the page's own, so the outline stays in order.
  const top = Math.min(7, ...blocks.map((b) => (b.type === "heading" ? b.level : 7)));
  return (
    <div className="markdown">
      {blocks.map((b, i) => {
        switch (b.type) {
          case "heading": {
            const level = Math.min(6, baseLevel + b.level - top);
            const H = `h${level}` as "h3";
            return <H key={i}>{inline(b.children)}</H>;
          }
          case "paragraph":
            return <p key={i}>{inline(b.children)}</p>;
          case "quote":
            return <blockquote key={i}>{inline(b.children)}</blockquote>;
          case "code":
            return (
              <pre key={i}>
                <code>{b.text}</code>
              </pre>
            );
          case "list": {
            const L = b.ordered ? "ol" : "ul";
            return (
              <L key={i}>
                {b.items.map((item, j) => (
                  <li key={j}>{inline(item)}</li>
                ))}
              </L>
            );
          }
        }
      })}
    </div>
  );
}
