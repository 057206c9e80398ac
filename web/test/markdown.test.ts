import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "../src/lib/markdown.ts";

describe("proposal descriptions as safe Markdown", () => {
  it("reads headings, paragraphs, lists, quotes, code and emphasis", () => {
    const blocks = parseMarkdown(
      [
        "## Why",
        "",
        "The **terms** are *short* and the fee is `0.1 ETH`.",
        "A second line.",
        "",
        "- one",
        "- two,",
        "  continued",
        "",
        "1. first",
        "2) second",
        "",
        "> quoted",
        "",
        "```",
        "<b>kept as text</b>",
        "```",
      ].join("\n"),
    );
    expect(blocks.map((b) => b.type)).toEqual([
      "heading",
      "paragraph",
      "list",
      "list",
      "quote",
      "code",
    ]);
    expect(blocks[0]).toEqual({
      type: "heading",
      level: 2,
      children: [{ type: "text", text: "Why" }],
    });
    expect(blocks[1]).toEqual({
      type: "paragraph",
      children: [
        { type: "text", text: "The " },
        { type: "strong", children: [{ type: "text", text: "terms" }] },
        { type: "text", text: " are " },
        { type: "em", children: [{ type: "text", text: "short" }] },
        { type: "text", text: " and the fee is " },
        { type: "code", text: "0.1 ETH" },
        { type: "text", text: "." },
        { type: "break" },
        { type: "text", text: "A second line." },
      ],
    });
    expect(blocks[2]).toMatchObject({
      ordered: false,
      items: [[{ text: "one" }], [{ text: "two, continued" }]],
    });
    expect(blocks[3]).toMatchObject({ ordered: true });
    expect(blocks[5]).toEqual({ type: "code", text: "<b>kept as text</b>" });
  });

  it("never turns raw HTML into markup: it stays text", () => {
    const blocks = parseMarkdown('<img src=x onerror="alert(1)"><script>alert(2)</script>');
    expect(blocks).toEqual([
      {
        type: "paragraph",
        children: [
          { type: "text", text: '<img src=x onerror="alert(1)"><script>alert(2)</script>' },
        ],
      },
    ]);
  });

  it("keeps only http(s) and mailto links; any other link is its text alone", () => {
    expect(parseInline("[terms](https://uni.example/t)")).toEqual([
      { type: "link", href: "https://uni.example/t", children: [{ type: "text", text: "terms" }] },
    ]);
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,x",
      "vbscript:x",
      "//evil.example",
      "ftp://x",
    ])
      expect(parseInline(`[click](${bad})`), bad).toEqual([{ type: "text", text: "click" }]);
    expect(safeHref("mailto:board@coop.example")).toBe("mailto:board@coop.example");
    expect(safeHref('https://x.example/"onmouseover=')).toBeNull();
  });

  it("bounds what it reads", () => {
    const long = parseMarkdown("x".repeat(50_000));
    expect((long[0] as { children: { text: string }[] }).children[0].text.length).toBe(20_000);
  });
});
