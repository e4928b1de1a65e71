/**
 * The report page's only stylesheet, inlined. System fonts (no downloads); every text colour has a
 * contrast of at least 4.5:1 on its background (WCAG AA), and status is never told by colour alone.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
.meta, .muted { color: #57606a; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.banner { border: 1px solid; border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.banner-warn { background: #fff8c5; border-color: #9a6700; color: #3b2300; }
.banner-ok { background: #dafbe1; border-color: #1a7f37; color: #0f3d1c; }
.banner-info { background: #ddf4ff; border-color: #0969da; color: #0a3069; }
.verdicts { list-style: none; padding: 0; margin: 0; }
.verdicts li { margin: 6px 0; }
.badge { display: inline-block; min-width: 9.5em; text-align: center; font-size: 0.8rem; font-weight: 600; border-radius: 999px; padding: 1px 10px; margin-right: 8px; border: 1px solid; }
.badge-win { background: #dafbe1; color: #0f3d1c; border-color: #1a7f37; }
.badge-loss { background: #ffebe9; color: #6e0a19; border-color: #cf222e; }
.badge-inconclusive { background: #eaeef2; color: #24292f; border-color: #6e7781; }
.badge-not-enough-data { background: #ffffff; color: #424a53; border-color: #6e7781; border-style: dashed; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: #57606a; padding-bottom: 4px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 6px 8px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f6f8fa; font-weight: 600; }
figure { margin: 12px 0 20px; }
figcaption { color: #57606a; font-size: 0.9rem; }
svg { max-width: 100%; height: auto; display: block; }
details { margin: 4px 0 16px; }
summary { cursor: pointer; color: #0969da; }
.verdict { font-weight: 600; }
.power { color: #57606a; margin-top: 0; }
footer { margin-top: 40px; color: #57606a; font-size: 0.9rem; }
`;
