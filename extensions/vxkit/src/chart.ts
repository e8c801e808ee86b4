/**
 * The dashboard's contributions chart: one bar per team, as long as its edits, split into
 * each student's share. Plain SVG, no library; the table under it says the same in numbers.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ITeamShares } from './shaping';

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666'
];

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key, String(value));
  }
  return node;
}

/** The chart of `teams` (from `teamShares`), `width` pixels wide. */
export function contributionChart(
  teams: ITeamShares[],
  trans: TranslationBundle,
  width = 640
): SVGSVGElement {
  const label = 150;
  const row = 34;
  const most = Math.max(1, ...teams.map(t => t.edits));
  const height = Math.max(row, teams.length * row);
  const chart = svg('svg', {
    class: 'vx-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': trans.__('Edits per team, split by student')
  });
  teams.forEach((team, i) => {
    const y = i * row;
    const name = svg('text', {
      x: 0,
      y: y + row / 2 + 5,
      class: 'vx-chart-label'
    });
    name.textContent = `${team.team} (${team.edits})`;
    chart.append(name);
    const length = ((width - label - 10) * team.edits) / most;
    let x = label;
    team.students.forEach((student, j) => {
      const w = length * student.share;
      if (w <= 0) {
        return;
      }
      const part = svg('rect', {
        x,
        y: y + 6,
        width: w,
        height: row - 12,
        fill: PALETTE[j % PALETTE.length],
        class: 'vx-chart-part'
      });
      part.dataset.student = student.name;
      const title = svg('title', {});
      title.textContent = trans.__(
        '%1: %2 edits (%3%)',
        student.name,
        student.edits,
        Math.round(student.share * 100)
      );
      part.append(title);
      chart.append(part);
      if (w > 40) {
        const text = svg('text', {
          x: x + 4,
          y: y + row / 2 + 4,
          class: 'vx-chart-name'
        });
        text.textContent = student.name;
        chart.append(text);
      }
      x += w;
    });
  });
  return chart;
}
