/**
 * @file The date histogram: one SVG bar per bucket of the server's date facet. A click selects
 * a bucket's days, a drag selects the days of every bucket it crosses, and the keyboard moves
 * between bars (arrow keys, Home, End) and selects with Enter or Space.
 */

import { format_count, replace_children } from './dom.js';
import { range_end, range_start } from './state.js';

const kSvg = 'http://www.w3.org/2000/svg';
const kHeight = 132;
const kTop = 16;      // room for count labels above the tallest bar
const kBottom = 22;   // room for axis labels
const kSide = 2;
const kMaxBarWidth = 40;  // a lone bucket is a bar, not a block
const kCharWidth = 6.8;  // generous glyph width of the 11px axis font, for spacing labels
const kLabelGap = 8;
const kMonths = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function svg(tag, attrs = {}) {
  const node = document.createElementNS(kSvg, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

function day_label(iso) {
  const [, month, day] = iso.split('-');
  return `${Number(day)} ${kMonths[Number(month) - 1]}`;
}

/** Short axis text for a bucket; days and weeks name their year on the first bar only. */
function axis_label(bucket, interval, first = false) {
  if (interval === 'year') return bucket.key;
  if (interval === 'month') {
    const [year, month] = bucket.key.split('-');
    return `${kMonths[Number(month) - 1]} ${year}`;
  }
  return first ? `${day_label(bucket.from)} ${bucket.from.slice(0, 4)}` : day_label(bucket.from);
}

/** Full text for a bar's tooltip and accessible name. */
function bucket_name(bucket, interval) {
  if (interval === 'year') return bucket.key;
  if (interval === 'month') return axis_label(bucket, interval);
  const year = bucket.from.slice(0, 4);
  if (interval === 'week') return `Week of ${day_label(bucket.from)} ${year} (to ${day_label(bucket.to)})`;
  return `${day_label(bucket.from)} ${year}`;
}

function plural(count) {
  return `${format_count(count)} ${count === 1 ? 'article' : 'articles'}`;
}

export class Histogram {
  /**
   * @param {HTMLElement} container
   * @param {(from: string, to: string) => void} on_select  ("", "") clears the date filter
   */
  constructor(container, on_select) {
    this.container_ = container;
    this.on_select_ = on_select;
    this.facet_ = null;
    this.range_ = { from: '', to: '' };
    this.drag_ = null;
    this.focus_index_ = 0;
    this.width_ = 0;
    new ResizeObserver(() => {
      if (this.container_.clientWidth !== this.width_) this.render_();
    }).observe(container);
  }

  /**
   * Shows a date facet with the selected range highlighted.
   * @param {{interval: string, buckets: Array<{key: string, from: string, to: string, count: number}>, undated: number}} facet
   * @param {{from: string, to: string}} range
   */
  update(facet, range) {
    this.facet_ = facet;
    this.range_ = range;
    this.render_();
  }

  selected_(bucket) {
    const { from, to } = this.range_;
    if (!from && !to) return false;
    const start = range_start(from);
    const end = range_end(to);
    return (!start || bucket.to >= start) && (!end || bucket.from <= end);
  }

  render_() {
    const had_focus = this.container_.contains(document.activeElement);
    this.width_ = this.container_.clientWidth;
    const buckets = this.facet_ ? this.facet_.buckets : [];
    if (buckets.length === 0) {
      const text = document.createElement('p');
      text.className = 'histogram-empty';
      text.textContent = this.facet_ ? 'No dated articles match.' : '';
      replace_children(this.container_, text);
      return;
    }
    if (this.width_ === 0) return;
    this.focus_index_ = Math.min(this.focus_index_, buckets.length - 1);
    const chart = this.draw_(buckets, this.facet_.interval);
    // An SVG <title> would add its text to the bar's own and make the two differ: an HTML tip.
    this.tip_ = document.createElement('div');
    this.tip_.className = 'histogram-tip';
    this.tip_.setAttribute('aria-hidden', 'true');
    this.tip_.hidden = true;
    replace_children(this.container_, chart, this.tip_);
    this.fit_labels_(chart);
    this.name_bars_(buckets, this.facet_.interval);
    if (had_focus) this.bars_[this.focus_index_].focus();
  }

  draw_(buckets, interval) {
    const width = this.width_;
    const slot = (width - 2 * kSide) / buckets.length;
    const gap = slot > 6 ? Math.min(4, slot * 0.2) : 0;
    const plot = kHeight - kTop - kBottom;
    const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
    const chart = svg('svg', {
      width, height: kHeight, viewBox: `0 0 ${width} ${kHeight}`,
      role: 'group', 'aria-label': `Articles by ${interval}`, class: 'histogram-chart',
    });
    chart.append(svg('line', { x1: kSide, x2: width - kSide, y1: kTop + plot + 0.5, y2: kTop + plot + 0.5, class: 'axis-line' }));
    this.bars_ = [];
    this.slot_ = slot;
    const label_step = this.label_step_(buckets, interval, slot);
    let label_right = -Infinity;
    buckets.forEach((bucket, index) => {
      const x = kSide + index * slot;
      const height = bucket.count === 0 ? 0 : Math.max(2, (bucket.count / max) * plot);
      const group = svg('g', {
        class: `bar${this.selected_(bucket) ? ' selected' : ''}${bucket.count === 0 ? ' empty' : ''}`,
        role: 'button', tabindex: index === this.focus_index_ ? 0 : -1,
        'aria-pressed': this.selected_(bucket) ? 'true' : 'false',
        'data-index': index, 'data-from': bucket.from, 'data-to': bucket.to,
      });
      group.append(svg('rect', { class: 'bar-hit', x, y: 0, width: slot, height: kHeight }));
      const bar_width = Math.max(1, Math.min(kMaxBarWidth, slot - gap));
      group.append(svg('rect', { class: 'bar-fill', x: x + (slot - bar_width) / 2, y: kTop + plot - height, width: bar_width, height }));
      // The axis label goes before the count: the bar's text then reads as its name begins.
      if (index % label_step === 0) {
        const text = axis_label(bucket, interval, index === 0);
        const half = (text.length * kCharWidth) / 2;
        // Centred under its bar, kept inside the chart, and left out rather than overlapping.
        const centre = Math.min(Math.max(x + slot / 2, kSide + half), width - kSide - half);
        if (centre - half >= label_right + kLabelGap) {
          const label = svg('text', {
            class: 'axis-label', x: centre, y: kHeight - 6, 'text-anchor': 'middle', 'data-centre': x + slot / 2,
          });
          label.textContent = text;
          group.append(label);
          label_right = centre + half;
        }
      }
      if (bucket.count > 0 && slot >= String(bucket.count).length * kCharWidth + 2) {
        const count = svg('text', { class: 'bar-count', x: x + slot / 2, y: kTop + plot - height - 4, 'text-anchor': 'middle' });
        count.textContent = format_count(bucket.count);
        // Undrawn in SVG, but it keeps "Nov 2022" and "5" two words for whoever reads the text.
        group.append(' ', count);
      }
      this.bars_.push(group);
      chart.append(group);
    });
    this.listen_(chart, buckets);
    return chart;
  }

  /** With real text widths (fonts vary): keeps labels inside the chart and drops any that would overlap. */
  fit_labels_(chart) {
    let right = -Infinity;
    for (const label of chart.querySelectorAll('.axis-label')) {
      const width = label.getComputedTextLength();
      const centre = Math.min(Math.max(Number(label.dataset.centre), kSide + width / 2), this.width_ - kSide - width / 2);
      if (centre - width / 2 < right + kLabelGap) {
        label.remove();
      } else {
        label.setAttribute('x', String(centre));
        right = centre + width / 2;
      }
    }
  }

  /**
   * Names each bar after the labels fit: what it shows (its axis label, then its count) comes
   * first, so the name spoken or said to select it is the text on screen, then the whole period
   * when the label shortens it. The tooltip shows the name too.
   */
  name_bars_(buckets, interval) {
    this.bars_.forEach((bar, index) => {
      const bucket = buckets[index];
      const shown = bar.querySelector('.axis-label')?.textContent ?? '';
      const full = bucket_name(bucket, interval);
      const name = shown && shown !== full
        ? `${shown}: ${plural(bucket.count)} — ${full}`
        : `${full}: ${plural(bucket.count)}`;
      bar.setAttribute('aria-label', name);
    });
  }

  /** Every how many bars an axis label fits without touching its neighbour. */
  label_step_(buckets, interval, slot) {
    const longest = Math.max(...buckets.map((bucket) => axis_label(bucket, interval).length));
    return Math.max(1, Math.ceil((longest * kCharWidth + kLabelGap) / slot));
  }

  index_at_(chart, client_x) {
    const box = chart.getBoundingClientRect();
    const index = Math.floor((client_x - box.left - kSide) / this.slot_);
    return Math.max(0, Math.min(this.bars_.length - 1, index));
  }

  /** Shows bar `index`'s name above it, kept inside the chart's width. */
  show_tip_(index) {
    this.tip_.textContent = this.bars_[index].getAttribute('aria-label');
    this.tip_.hidden = false;
    const half = this.tip_.offsetWidth / 2;
    const centre = Math.min(Math.max(kSide + (index + 0.5) * this.slot_, half), this.width_ - half);
    this.tip_.style.left = `${centre - half}px`;
  }

  preview_(first, last) {
    this.bars_.forEach((bar, index) => bar.classList.toggle('dragging', index >= first && index <= last));
  }

  listen_(chart, buckets) {
    chart.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      const index = this.index_at_(chart, event.clientX);
      this.drag_ = { start: index, end: index, pointer: event.pointerId };
      chart.setPointerCapture(event.pointerId);
      this.preview_(index, index);
      event.preventDefault();
    });
    chart.addEventListener('pointermove', (event) => {
      this.show_tip_(this.index_at_(chart, event.clientX));
      if (!this.drag_ || event.pointerId !== this.drag_.pointer) return;
      this.drag_.end = this.index_at_(chart, event.clientX);
      this.preview_(Math.min(this.drag_.start, this.drag_.end), Math.max(this.drag_.start, this.drag_.end));
    });
    chart.addEventListener('pointerup', (event) => {
      if (!this.drag_ || event.pointerId !== this.drag_.pointer) return;
      const first = Math.min(this.drag_.start, this.drag_.end);
      const last = Math.max(this.drag_.start, this.drag_.end);
      this.drag_ = null;
      this.focus_index_ = first;
      this.choose_(buckets, first, last);
    });
    chart.addEventListener('pointerleave', () => {
      this.tip_.hidden = true;
    });
    chart.addEventListener('pointercancel', () => {
      this.drag_ = null;
      this.preview_(-1, -1);
    });
    chart.addEventListener('keydown', (event) => this.on_key_(event, buckets));
  }

  /** Selects the days of buckets first..last; a second click on the only selected bar clears. */
  choose_(buckets, first, last) {
    const from = buckets[first].from;
    const to = buckets[last].to;
    const current_start = range_start(this.range_.from);
    const current_end = range_end(this.range_.to);
    if (first === last && current_start === from && current_end === to) this.on_select_('', '');
    else this.on_select_(from, to);
  }

  on_key_(event, buckets) {
    const index = Number(event.target.getAttribute?.('data-index'));
    if (!Number.isInteger(index)) return;
    const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: buckets.length - 1 };
    if (event.key in moves) {
      const next = Math.max(0, Math.min(buckets.length - 1, moves[event.key]));
      this.bars_[this.focus_index_].setAttribute('tabindex', '-1');
      this.focus_index_ = next;
      this.bars_[next].setAttribute('tabindex', '0');
      this.bars_[next].focus();
      event.preventDefault();
    } else if (event.key === 'Enter' || event.key === ' ') {
      this.focus_index_ = index;
      this.choose_(buckets, index, index);
      event.preventDefault();
    }
  }
}
