/**
 * The dashboard's stylesheet, served as /assets/app.css. The strict content security policy
 * forbids inline styles, so the week view's positions are classes generated here: `p-<n>` sets
 * `--p` (offset) and `l-<n>` sets `--l` (length) in steps of half a percent (see pages/week.ts),
 * and `ln-<lane>-<lanes>` splits a day between overlapping interviews. Days are columns on a wide
 * window and rows on a phone; the same classes serve both.
 */
import { MAX_LANES, POSITION_STEPS } from '../pages/week.js';

function positionClasses(): string {
  const rules: string[] = [];
  for (let n = 0; n <= POSITION_STEPS; n++) {
    const pct = `${(n * 100) / POSITION_STEPS}%`;
    rules.push(`.p-${n}{--p:${pct}}.l-${n}{--l:${pct}}`);
  }
  for (let lanes = 1; lanes <= MAX_LANES; lanes++) {
    for (let lane = 0; lane < lanes; lane++) rules.push(`.ln-${lane}-${lanes}{--lane:${lane};--lanes:${lanes}}`);
  }
  return rules.join('\n');
}

const BASE = `
:root{--bg:#f8fafc;--fg:#0f172a;--muted:#64748b;--card:#fff;--line:#cbd5e1;--grid:#e2e8f0;--accent:#2563eb;
--due:#2563eb;--drafted:#0891b2;--done:#64748b;--sent:#16a34a;--vetoed:#7c3aed;--skipped:#94a3b8;--kept:#d97706;--failed:#dc2626;--stale:#cbd5e1;
--track-h:44rem;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0b1220;--fg:#e2e8f0;--muted:#94a3b8;--card:#111a2e;--line:#334155;--grid:#1e293b;--stale:#475569}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
main{max-width:78rem;margin:0 auto;padding:.75rem 1rem 3rem}
h1{font-size:1.35rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
h3{font-size:1rem;margin:.8rem 0 .3rem}
pre{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;background:var(--card);border:1px solid var(--line);border-radius:.4rem;padding:.6rem .75rem;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;margin:.3rem 0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
.top{display:flex;align-items:center;gap:1rem;flex-wrap:wrap;padding:.5rem 1rem;background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:20}
.brand{font-weight:700;text-decoration:none;color:var(--fg)}
.top nav{display:flex;gap:.9rem;flex-wrap:wrap}
.top nav a{text-decoration:none}
.top nav a[aria-current=page]{font-weight:700;text-decoration:underline}
.live-dot{width:.6rem;height:.6rem;border-radius:50%;background:var(--stale);margin-left:auto}
.live-dot.on{background:var(--sent)}
.notice{background:#dcfce7;color:#14532d;border:1px solid #86efac;border-radius:.4rem;padding:.5rem .75rem}
.error{background:#fee2e2;color:#7f1d1d;border:1px solid #fca5a5;border-radius:.4rem;padding:.5rem .75rem}
.muted{color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
.btn{display:inline-block;font:inherit;padding:.45rem .8rem;border:1px solid var(--accent);border-radius:.4rem;background:var(--card);color:var(--accent);cursor:pointer;text-decoration:none;min-height:2.4rem}
.btn:hover{background:var(--accent);color:#fff}
.btn.chosen{background:var(--accent);color:#fff}
form.inline{display:inline-block;margin:.2rem .3rem .2rem 0}
form.stack{display:flex;flex-direction:column;gap:.5rem;max-width:36rem}
form.stack label{display:flex;flex-direction:column;gap:.2rem}
input{font:inherit;padding:.45rem;border:1px solid var(--line);border-radius:.3rem;background:var(--card);color:var(--fg)}
.card,.company,.account,.email{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.6rem .9rem;margin:.7rem 0}
.company.flagged{border-color:var(--failed)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .45rem;border-radius:1rem;border:1px solid var(--line);vertical-align:middle;color:var(--fg)}
.badge.ok{border-color:var(--sent);color:var(--sent)}
.badge.warn{border-color:var(--kept);color:var(--kept)}
.badge.bad{background:var(--failed);border-color:var(--failed);color:#fff}
.flag{display:inline-block;font-size:.68rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;background:var(--failed);color:#fff;border-radius:.25rem;padding:0 .3rem}
.meta{color:var(--muted);margin:.2rem 0}
.outcomes{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem;margin:.6rem 0}
.outcomes>span{margin-right:.4rem;font-weight:600}
.undelivered{border-left:.25rem solid var(--failed);padding:.2rem .5rem;margin:.3rem 0}
.mail-head{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .6rem;margin:.3rem 0;font-size:.9rem}
.mail-head dt{color:var(--muted)}
.mail-head dd{margin:0;overflow-wrap:anywhere}
.acts-list{list-style:none;padding:0;margin:.3rem 0}
.acts-list li{margin:.15rem 0}
.history{list-style:none;padding:0;margin:0;font-size:.92rem}
.history li{padding:.25rem 0;border-bottom:1px solid var(--grid)}
.history time{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:.4rem}
.history .h-sent{font-weight:600}
.history .h-error{color:var(--failed)}
dl{margin:.3rem 0}
.account dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem}
.account dd{margin:0}
.legend{display:flex;flex-wrap:wrap;gap:.35rem .9rem;font-size:.8rem;color:var(--muted);margin:.2rem 0 .6rem}
.legend span{display:inline-flex;align-items:center;gap:.25rem}
.week-head{display:flex;align-items:center;justify-content:space-between;gap:.5rem;flex-wrap:wrap}
.week-head h1{flex:1;text-align:center;min-width:12rem}
@media (max-width:760px){.week-head h1{order:-1;flex-basis:100%;font-size:1.15rem}}

/* action states: chips, markers and labels */
.chip{display:inline-block;width:.6rem;height:.6rem;border-radius:50%;background:var(--c,var(--skipped));border:1.5px solid var(--c,var(--skipped))}
.act{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:.25rem;color:#fff;background:var(--c,var(--skipped))}
.s-due{--c:var(--due)}.chip.s-due,.mk.s-due{background:var(--card)}
.s-drafted{--c:var(--drafted)}.s-done{--c:var(--done)}.s-sent{--c:var(--sent)}.s-vetoed{--c:var(--vetoed)}
.s-skipped{--c:var(--skipped)}.s-kept-as-draft{--c:var(--kept)}.s-failed{--c:var(--failed)}.s-missed{--c:var(--failed)}.s-waiting-for-the-account{--c:var(--kept)}
.s-stood-down,.s-cancelled,.s-other{--c:var(--stale)}
.act.s-due{background:var(--card);color:var(--due);border:1px solid var(--due)}

/* interview status and outcome colours */
.iv,.badge,.interview{--ivc:var(--due)}
.st-done{--ivc:var(--done)}.st-cancelled,.st-declined{--ivc:var(--stale)}
.oc-held{--ivc:var(--sent)}.oc-interviewer-no-show{--ivc:var(--failed)}.oc-candidate-missed{--ivc:var(--kept)}
.badge[class*=st-]{border-color:var(--ivc);color:var(--ivc)}
.interview{border-left:.35rem solid var(--ivc,var(--due));padding-left:.7rem}

/* the week: days as columns */
.week{display:grid;grid-template-columns:3rem repeat(7,minmax(0,1fr));gap:0 .2rem}
.axis{position:relative;height:var(--track-h);margin-top:2rem}
.hr{position:absolute;top:var(--p);right:.3rem;transform:translateY(-50%);font-size:.72rem;color:var(--muted);font-variant-numeric:tabular-nums}
.day h2{height:2rem;margin:0;font-size:.85rem;text-align:center;line-height:2rem}
.day.today h2{color:var(--accent);font-weight:800}
.track{position:relative;height:var(--track-h);background:var(--card);border:1px solid var(--line);border-radius:.3rem;overflow:hidden}
.day.today .track{border-color:var(--accent)}
.gl{position:absolute;left:0;right:0;top:var(--p);border-top:1px solid var(--grid)}
.now{position:absolute;left:0;right:0;top:var(--p);border-top:2px solid var(--failed);z-index:6;pointer-events:none}
.mk{position:absolute;top:var(--p);left:2px;width:.6rem;height:.6rem;border-radius:50%;background:var(--c);border:1.5px solid var(--c);transform:translateY(-50%);z-index:5}
.iv{position:absolute;top:var(--p);height:var(--l);min-height:2.8rem;left:calc(.85rem + (100% - 1rem) * var(--lane) / var(--lanes));width:calc((100% - 1rem) / var(--lanes) - 2px);
background:color-mix(in srgb,var(--ivc) 14%,var(--card));border:1px solid var(--ivc);border-left:4px solid var(--ivc);border-radius:.3rem;padding:.15rem .3rem;
overflow:hidden;text-decoration:none;color:var(--fg);font-size:.75rem;line-height:1.25;z-index:4;display:flex;flex-direction:column}
.iv:hover,.iv:focus{z-index:10;min-height:max-content;box-shadow:0 2px 8px rgb(0 0 0 / .25)}
.iv-time{font-weight:700;font-variant-numeric:tabular-nums}
.iv-title{font-weight:600;overflow-wrap:anywhere}
.iv-who{color:var(--muted)}
.iv .chips{display:flex;gap:2px;flex-wrap:wrap;margin-top:auto;padding-top:2px}
.iv .flag{align-self:flex-start}
.st-cancelled .iv-title,.st-declined .iv-title{text-decoration:line-through}
.list-head{margin-top:1.5rem}
.ivlist{padding-left:1.2rem}
.ivlist li{margin:.4rem 0}
.ivlist .acts{display:flex;flex-wrap:wrap;gap:.2rem;margin-top:.15rem}

/* the week on a phone: days as rows, hours across */
@media (max-width:760px){
main{padding:.5rem .6rem 2rem}
.week{display:block}
.axis{display:none}
.day{display:grid;grid-template-columns:2.6rem minmax(0,1fr);align-items:stretch;margin-bottom:.3rem}
.day h2{height:auto;line-height:1.1;align-self:center;font-size:.75rem;text-align:left}
.track{height:4.6rem}
.gl{top:0;bottom:0;left:var(--p);right:auto;border-top:0;border-left:1px solid var(--grid)}
.gl::after{content:attr(data-h);position:absolute;top:0;left:2px;font-size:.6rem;color:var(--muted)}
.now{top:0;bottom:0;left:var(--p);right:auto;border-top:0;border-left:2px solid var(--failed)}
.mk{top:1.05rem;left:var(--p);transform:translateX(-50%)}
.iv{top:calc(1.5rem + (100% - 1.6rem) * var(--lane) / var(--lanes));height:calc((100% - 1.6rem) / var(--lanes) - 1px);min-height:0;left:var(--p);width:max(var(--l),3.2rem);font-size:.68rem;padding:.05rem .2rem}
.iv-who,.iv .chips{display:none}
.iv-time,.iv-title{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.iv:hover,.iv:focus{min-height:0}
}
`;

export const APP_CSS = `${BASE}\n${positionClasses()}\n`;
