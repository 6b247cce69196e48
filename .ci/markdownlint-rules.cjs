// Two mistakes markdownlint's own rules do not see, both found in our README: a table written without its header and
// |---| rows (it renders as a paragraph of pipes), and a code fence never closed (the rest of the page renders as code).
"use strict";

module.exports = [
  {
    names: ["FO001", "table-without-header"],
    description: "Table rows without a header row and delimiter row",
    tags: ["table"],
    parser: "markdownit",
    function: (params, onError) => {
      for (const token of params.parsers.markdownit.tokens) {
        if (token.type === "paragraph_open" && token.map && params.lines[token.map[0]].trim().startsWith("|")) {
          onError({ lineNumber: token.map[0] + 1, detail: "add a header row and a |---| row before it" });
        }
      }
    },
  },
  {
    names: ["FO002", "unclosed-code-fence"],
    description: "Code fence without its closing fence",
    tags: ["code"],
    parser: "markdownit",
    function: (params, onError) => {
      for (const token of params.parsers.markdownit.tokens) {
        if (token.type !== "fence" || !token.map) continue;
        const [start, end] = token.map;
        const last = end - 1 > start ? params.lines[end - 1].trim() : "";
        // An opening fence with an info string inside the block means the block swallowed the next one.
        const swallowed = params.lines.slice(start + 1, end - 1).findIndex((line) => new RegExp(`^\\s*${token.markup}\\w`).test(line));
        if (!last.startsWith(token.markup) || swallowed >= 0) {
          onError({ lineNumber: start + 1, detail: `the ${token.markup} fence opened here is not closed before line ${swallowed >= 0 ? start + 2 + swallowed : end}` });
        }
      }
    },
  },
];
