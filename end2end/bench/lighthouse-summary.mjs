// Summarises several Lighthouse runs of one page: the median of each score and timing, with the
// range, so a figure in the README can be reproduced on another day. Prints figures; not a test.
// usage: node bench/lighthouse-summary.mjs PATH run1.json run2.json ...
import { readFileSync } from 'node:fs';

const [path, ...files] = process.argv.slice(2);
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const figure = (values, digits, unit = '') => {
  const ok = values.filter((v) => typeof v === 'number' && !Number.isNaN(v));
  if (!ok.length) return 'n/a';
  const lo = Math.min(...ok).toFixed(digits);
  const hi = Math.max(...ok).toFixed(digits);
  return `${median(ok).toFixed(digits)}${unit} (${lo}–${hi})`;
};

const score = (name) => runs.map((r) => r.categories?.[name]?.score);
const audit = (id) => runs.map((r) => r.audits?.[id]?.numericValue);
const failed = new Set();
for (const r of runs) {
  for (const [name, cat] of Object.entries(r.categories ?? {})) {
    for (const ref of cat.auditRefs ?? []) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a && a.score !== null && a.score < 1) failed.add(`${name}:${ref.id}`);
    }
  }
}

console.log(`  ${path}  (${runs.length} runs, median and range)`);
console.log(`    performance ${figure(score('performance'), 2)}  accessibility ${figure(score('accessibility'), 2)}` +
  `  best practices ${figure(score('best-practices'), 2)}  SEO ${figure(score('seo'), 2)}`);
console.log(`    FCP ${figure(audit('first-contentful-paint').map((v) => v / 1000), 2, ' s')}` +
  `  LCP ${figure(audit('largest-contentful-paint').map((v) => v / 1000), 2, ' s')}` +
  `  TBT ${figure(audit('total-blocking-time'), 0, ' ms')}  CLS ${figure(audit('cumulative-layout-shift'), 3)}` +
  `  DOM elements ${figure(audit('dom-size'), 0)}  transferred ${figure(audit('total-byte-weight').map((v) => v / 1024), 0, ' KiB')}`);
if (failed.size) console.log(`    audits below 1: ${[...failed].sort().join(', ')}`);
