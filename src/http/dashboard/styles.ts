/**
 * The dashboard's stylesheet, inlined in each page (the Content Security Policy loads nothing from
 * elsewhere). Light and dark from `prefers-color-scheme`; one column below 700 px, tables that scroll
 * sideways inside their box rather than widening the page, and words broken only where they must be.
 *
 * @module
 */
export const CSS = `
:root { color-scheme: light dark; --fg: #1d232a; --muted: #5b6570; --bg: #f7f8fa; --card: #fff;
  --line: #dde1e6; --good: #1a7f37; --bad: #c62828; --warn: #9a6700; --info: #0b5cad; --bar: #5b8fd6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ec; --muted: #9aa4ae; --bg: #15191d;
  --card: #1d2329; --line: #313941; --good: #4ac26b; --bad: #ff7b72; --warn: #d29922; --info: #58a6ff;
  --bar: #4d7fc4; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); overflow-wrap: break-word; }
a { color: var(--info); }
header { padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--card); }
header .top { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1rem; }
header h1 { margin: 0; font-size: 1.3rem; }
header h1 a { color: inherit; text-decoration: none; }
header p { margin: 0; color: var(--muted); font-size: .9rem; }
header form { margin-left: auto; }
nav.main { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin-top: .5rem; }
nav.main a { text-decoration: none; padding: .1rem 0; }
nav.main a[aria-current="page"] { font-weight: 600; border-bottom: 2px solid var(--info); }
main { padding: 1rem 1.5rem 3rem; max-width: 1400px; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
h2 .more { margin-left: .75rem; font-size: .85rem; font-weight: normal; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
h4 { font-size: .95rem; margin: 1rem 0 .25rem; }
.count { margin-left: .5rem; font-weight: normal; color: var(--muted); }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .75rem; margin-top: 1rem; }
.summary a { display: block; background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: .5rem .75rem; color: var(--fg); text-decoration: none; }
.summary b { display: block; font-size: 1.3rem; }
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
td { overflow-wrap: break-word; }
.id { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
.value { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; }
.error { color: var(--bad); font-size: .9rem; }
.empty { color: var(--muted); font-style: italic; }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem;
  margin-bottom: 1rem; min-width: 0; }
dl.fields, .card dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; margin: 0 0 .75rem; }
dt { color: var(--muted); }
dd { margin: 0; min-width: 0; }
.badge { display: inline-block; padding: 0 .45rem; margin-left: .25rem; border-radius: 999px; font-size: .8rem;
  border: 1px solid currentColor; white-space: nowrap; }
td .badge { margin-left: 0; }
.good { color: var(--good); } .bad { color: var(--bad); } .warn { color: var(--warn); } .info { color: var(--info); }
.label { display: inline-block; margin: 0 .25rem .1rem 0; padding: 0 .4rem; border-radius: 4px;
  background: var(--bg); border: 1px solid var(--line); font-size: .8rem; }
.issue .details, a.details { margin-left: .4rem; font-size: .8rem; }
.board { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(11rem, 1fr); gap: .75rem; overflow-x: auto;
  padding-bottom: .25rem; }
.column { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .5rem; min-width: 0; }
.column h4 { font-size: .9rem; margin: 0 0 .5rem; }
.bcard { background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: .4rem .5rem;
  margin-bottom: .4rem; overflow-wrap: anywhere; }
.bcard.pending { border-left: 3px solid var(--warn); }
.note { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--info); padding: .75rem 1rem; }
.note.bad { border-left-color: var(--bad); color: var(--fg); }
.note.good { border-left-color: var(--good); color: var(--fg); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: flex-end; background: var(--card);
  border: 1px solid var(--line); border-radius: 6px; padding: .6rem .75rem; margin-bottom: .75rem; }
form.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); min-width: 0;
  max-width: 100%; }
form.filters label.grow { flex: 1 1 12rem; }
form.filters .buttons { display: flex; gap: .75rem; align-items: center; }
select, input, textarea, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line);
  border-radius: 4px; padding: .25rem .4rem; max-width: 100%; }
button { cursor: pointer; background: var(--card); }
button:hover { border-color: var(--info); }
form.resolve { display: flex; flex-wrap: wrap; gap: .35rem; }
form.resolve button { font-size: .85rem; white-space: nowrap; }
textarea { width: 100%; min-height: 5rem; font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
.pager { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem 1rem; margin: .6rem 0;
  color: var(--muted); font-size: .9rem; }
.pager .pages { display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
.progress { display: inline-flex; align-items: center; gap: .4rem; }
progress { width: 8rem; max-width: 40vw; height: .7rem; accent-color: var(--good); }
.charts { display: grid; gap: .4rem; }
figure.chart { margin: 0; }
figure.chart figcaption { font-size: .85rem; }
figure.chart svg { display: block; width: 100%; height: 3.5rem; background: var(--bg); border: 1px solid var(--line);
  border-radius: 3px; }
.bar { fill: var(--bar); } .bar.failed { fill: var(--bad); } .bar:hover { fill: var(--info); }
.baseline { stroke: var(--line); stroke-width: 1; }
.budget { fill: none; stroke: var(--good); stroke-width: 2; }
.budget-point { fill: transparent; } .budget-point:hover { fill: var(--line); fill-opacity: .5; }
.axis { display: flex; justify-content: space-between; font-size: .8rem; color: var(--muted); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); gap: 1rem; }
.login { max-width: 26rem; margin: 3rem auto; }
.login input[type=password] { width: 100%; margin: .5rem 0 1rem; }
@media (max-width: 700px) {
  header, main { padding-left: .75rem; padding-right: .75rem; }
  th.wide, td.wide { display: none; }
  .issue .repo { display: none; }
  th, td { padding: .35rem .4rem; }
  dl.fields, .card dl { grid-template-columns: minmax(0, 1fr); }
  dt { margin-top: .35rem; }
}
`;
