package ipynb

// pageCSS is the style sheet embedded in every rendered page: system fonts,
// a readable measure, legible tables with right-aligned numbers where the
// table asks for it, and images that never overflow.
const pageCSS = `:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --code: #f6f8fa; --bad: #b42318; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 64px; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.2em 0 0.5em; }
h1 { font-size: 1.9em; border-bottom: 1px solid var(--line); padding-bottom: 0.3em; }
h2 { font-size: 1.45em; border-bottom: 1px solid var(--line); padding-bottom: 0.25em; }
a { color: #0969da; }
code, pre { font: 13.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
:not(pre) > code { background: var(--code); padding: 0.1em 0.35em; border-radius: 4px; }
pre { margin: 0; padding: 10px 12px; tab-size: 4; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.cell.markdown pre, .output.markdown pre { background: var(--code); border-radius: 6px; margin: 0.8em 0; }
blockquote { margin: 0.8em 0; padding: 0 1em; color: var(--muted); border-left: 4px solid var(--line); }
hr { border: 0; border-top: 1px solid var(--line); margin: 1.5em 0; }
img, svg { max-width: 100%; height: auto; }
.cell { margin: 14px 0; }
.cell.code .input { display: flex; gap: 8px; align-items: flex-start; }
.prompt { flex: 0 0 3.2em; color: var(--muted); font: 12px/2.2 ui-monospace, monospace; text-align: right; }
.source { flex: 1; min-width: 0; background: var(--code); border: 1px solid var(--line); border-radius: 6px; }
.outputs { margin: 6px 0 0 calc(3.2em + 8px); }
.cell.code > .outputs:first-child, details.code + .outputs { margin-left: 0; }
details.code > summary, details.data > summary { color: var(--muted); font-size: 0.85em; cursor: pointer; }
details.code .input { margin: 4px 0; }
.output { margin: 4px 0; }
pre.output { padding: 4px 2px; }
.stream.stderr { background: #fff8f0; }
.output.error pre { background: #fff1f0; border-left: 4px solid var(--bad); color: #5c1a14; }
.not-run { color: var(--bad); font-style: italic; margin: .3em 0 0 3.5em; }
.cell.failed .source { border-color: var(--bad); box-shadow: 0 0 0 1px var(--bad); }
.banner { margin: 0 0 18px; padding: 10px 14px; border-radius: 6px; }
.banner.failed { background: #fff1f0; border: 1px solid #f4c7c3; }
.banner pre { padding: 6px 0 0; }
table { border-collapse: collapse; margin: 10px 0; font-size: 14px; font-variant-numeric: tabular-nums; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
table:has(> thead > tr > th:nth-child(9)), table:has(> tbody > tr > td:nth-child(9)) { font-size: 12px; }
table:has(> thead > tr > th:nth-child(9)) :is(th, td), table:has(> tbody > tr > td:nth-child(9)) :is(th, td) { padding: 3px 5px; }
figure.chart { margin: 10px 0; }
figure.chart img { display: block; }
figure.chart figcaption { color: var(--muted); font-size: 0.85em; }
thead th { background: #f0f3f6; font-weight: 600; }
tbody tr:nth-child(even) { background: #f8fafc; }
th[align=right], td[align=right], th.num, td.num, .num { text-align: right; }
th[align=center], td[align=center] { text-align: center; }
.index .name { color: var(--muted); font-size: 0.85em; margin-left: 0.4em; }
.index span.ok { color: var(--good); font-weight: 600; }
.index span.failed { color: var(--bad); font-weight: 600; }
.index span.nodata { color: #9a6700; font-weight: 600; }
.index span.ignores { color: var(--muted); font-weight: 600; }
.index .covers { color: var(--muted); font-size: 0.85em; }
.index td pre { padding: 4px 0 0; color: var(--fg); font-weight: normal; }
.summary { color: var(--muted); }
.provenance-line { color: var(--muted); font-size: 0.85em; margin: 0 0 8px; }
details.provenance { margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { margin: 14mm 12mm 18mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  table { font-size: 8.5pt; max-width: 100%; }
  th, td { padding: 2px 4px; }
  table:has(> thead > tr > th:nth-child(9)), table:has(> tbody > tr > td:nth-child(9)) { font-size: 6.5pt; }
  thead { display: table-header-group; }
  tr, img, figure, pre { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  details.code { display: none; }
  a { color: inherit; text-decoration: none; }
}
`
