/**
 * @file The coverage timeline: the date facet's buckets as stacked bars, one colour per top
 * outlet of the search and one for the rest, with a legend whose outlets filter the search
 * when clicked. It tells who covered a story when, and who was first.
 */

import { date_element, el, format_count, replace_children } from './dom.js';

const kSvg = 'http://www.w3.org/2000/svg';
const kHeight = 110;
const kTop = 6;
const kBottom = 4;
const kMaxBarWidth = 40;
const kColours = 7;  // --series-0 .. --series-6 in style.css; the last is "other"

function svg(tag, attrs = {}) {
  const node = document.createElementNS(kSvg, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

/** The outlets of the first bucket with articles, and that bucket. */
function first_coverage(facet) {
  for (const bucket of facet.buckets) {
    const outlets = facet.outlets.filter((_, index) => bucket.counts[index] > 0);
    if (outlets.length > 0 || bucket.other > 0) return { bucket, outlets };
  }
  return null;
}

export class Timeline {
  /**
   * @param {HTMLElement} section  shown only when there is a timeline to draw
   * @param {(outlet: string, checked: boolean) => void} on_toggle
   */
  constructor(section, on_toggle) {
    this.section_ = section;
    this.on_toggle_ = on_toggle;
    this.chart_ = section.querySelector('.timeline-chart');
    this.legend_ = section.querySelector('.timeline-legend');
    this.first_ = section.querySelector('.timeline-first');
    this.facet_ = null;
    this.selected_ = [];
    new ResizeObserver(() => this.draw_()).observe(this.chart_);
  }

  /**
   * @param {{outlets: string[], buckets: Array<{key: string, from: string, to: string, counts: number[], other: number}>}|undefined} facet
   * @param {string[]} selected  the outlets the search is filtered by
   */
  update(facet, selected) {
    this.facet_ = facet && facet.buckets.length > 0 ? facet : null;
    this.selected_ = selected;
    this.section_.hidden = this.facet_ === null;
    if (!this.facet_) return;
    this.draw_();
    this.fill_legend_();
    this.fill_first_();
  }

  draw_() {
    const width = this.chart_.clientWidth;
    if (!this.facet_ || width === 0) return;
    const { buckets, outlets } = this.facet_;
    const slot = width / buckets.length;
    const bar_width = Math.max(1, Math.min(kMaxBarWidth, slot - (slot > 6 ? Math.min(4, slot * 0.2) : 0)));
    const plot = kHeight - kTop - kBottom;
    const totals = buckets.map((bucket) => bucket.counts.reduce((a, b) => a + b, 0) + bucket.other);
    const max = Math.max(1, ...totals);
    const chart = svg('svg', { width, height: kHeight, viewBox: `0 0 ${width} ${kHeight}`, class: 'timeline-svg', 'aria-hidden': 'true' });
    buckets.forEach((bucket, index) => {
      let y = kTop + plot;
      const x = index * slot + (slot - bar_width) / 2;
      [...bucket.counts, bucket.other].forEach((count, series) => {
        if (count === 0) return;
        const height = (count / max) * plot;
        y -= height;
        const colour = series < outlets.length ? series : kColours - 1;
        const name = series < outlets.length ? outlets[series] : 'Other outlets';
        const rect = svg('rect', { x, y, width: bar_width, height: Math.max(height, 1), class: `segment series-${colour}`, 'data-outlet': name, 'data-count': count });
        const title = svg('title');
        title.textContent = `${name}, ${bucket.from === bucket.to ? bucket.from : `${bucket.from} to ${bucket.to}`}: ${format_count(count)}`;
        rect.append(title);
        chart.append(rect);
      });
    });
    replace_children(this.chart_, chart);
  }

  fill_legend_() {
    const { outlets, buckets } = this.facet_;
    const items = outlets.map((outlet, index) => {
      const total = buckets.reduce((sum, bucket) => sum + bucket.counts[index], 0);
      const selected = this.selected_.includes(outlet);
      const button = el('button', { type: 'button', class: 'legend-item', 'aria-pressed': selected ? 'true' : 'false', 'data-outlet': outlet },
        el('span', { class: `swatch series-${index}`, 'aria-hidden': 'true' }), `${outlet} (${format_count(total)})`);
      button.addEventListener('click', () => this.on_toggle_(outlet, !selected));
      return el('li', {}, button);
    });
    const other = buckets.reduce((sum, bucket) => sum + bucket.other, 0);
    if (other > 0) {
      items.push(el('li', {}, el('span', { class: 'legend-item other' },
        el('span', { class: `swatch series-${kColours - 1}`, 'aria-hidden': 'true' }), `Other outlets (${format_count(other)})`)));
    }
    replace_children(this.legend_, ...items);
  }

  fill_first_() {
    const first = first_coverage(this.facet_);
    if (!first) {
      replace_children(this.first_);
      return;
    }
    const names = first.outlets.length > 0 ? first.outlets.join(', ') : 'other outlets';
    const when = first.bucket.from === first.bucket.to ? 'on ' : `in the ${this.facet_.interval} from `;
    replace_children(this.first_, `First covered by ${names} ${when}`, date_element(first.bucket.from), '.');
  }
}
