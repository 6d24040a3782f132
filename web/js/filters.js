/**
 * @file The outlet facet (multi-select checkboxes with counts) and the active-filter chips.
 */

import { el, format_count, format_date, replace_children } from './dom.js';
import { language_name } from './languages.js';
import { range_end, range_start } from './state.js';

/**
 * Lists outlets with counts; selected outlets stay listed even when the server returns
 * none of their articles for the current query.
 * @param {HTMLElement} list
 * @param {Array<{value: string, count: number, selected: boolean}>} facet
 * @param {string[]} selected
 * @param {(outlet: string, checked: boolean) => void} on_toggle
 * @param {string} [filter]  the outlet filter the server applied, for the empty list's text
 */
export function render_outlets(list, facet, selected, on_toggle, filter = '') {
  const entries = facet.map((entry) => ({ ...entry, selected: entry.selected || selected.includes(entry.value) }));
  const known = new Set(entries.map((entry) => entry.value.toLowerCase()));
  for (const outlet of selected) {
    if (!known.has(outlet.toLowerCase())) entries.push({ value: outlet, count: 0, selected: true });
  }
  const had_focus = list.contains(document.activeElement) ? document.activeElement.value : null;
  if (entries.length === 0) {
    const text = filter.trim() ? `No outlet has a word starting with “${filter.trim()}”.` : 'No outlets.';
    replace_children(list, el('li', { class: 'facet-empty', text }));
    return;
  }
  replace_children(list, ...entries.map((entry, index) => {
    const id = `outlet-${index}`;
    const box = el('input', { type: 'checkbox', id, value: entry.value, checked: entry.selected });
    box.addEventListener('change', () => on_toggle(entry.value, box.checked));
    return el('li', { class: `facet-item${entry.selected ? ' selected' : ''}` },
      box,
      el('label', { for: id },
        el('span', { class: 'facet-name', text: entry.value }),
        el('span', { class: 'facet-count', 'aria-label': `${entry.count} ${entry.count === 1 ? 'article' : 'articles'}`, text: format_count(entry.count) })));
  }));
  if (had_focus !== null) {
    const again = [...list.querySelectorAll('input')].find((box) => box.value === had_focus);
    again?.focus();
  }
}

/**
 * The outlet list's own controls: the filter box, shown once there are more outlets than
 * listed (or a filter is typed), and the button that lists them all or the most frequent again.
 * @param {{box: HTMLElement, more: HTMLButtonElement, list: HTMLElement}} nodes
 * @param {number} listed  outlets in the list
 * @param {number} total  outlets the server would list without a size bound
 * @param {Object} state
 */
export function render_outlet_controls(nodes, listed, total, state) {
  const more = total > listed;
  nodes.box.hidden = !(more || state.all_outlets || state.facet_query || nodes.box.contains(document.activeElement));
  nodes.more.hidden = !(more || state.all_outlets);
  nodes.more.textContent = state.all_outlets && !more ? 'Show the most frequent outlets' : `Show all ${format_count(total)} outlets`;
  nodes.list.classList.toggle('is-long', state.all_outlets);
}

const kMonthFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', timeZone: 'UTC' });

/** "2019" or "2022-11" when from..to is exactly that year or month (as a histogram bar gives). */
function whole_period(from, to) {
  const start = range_start(from);
  const end = range_end(to);
  if (start.endsWith('-01-01') && end === `${start.slice(0, 4)}-12-31`) return start.slice(0, 4);
  if (start.endsWith('-01') && end === range_end(start.slice(0, 7))) return start.slice(0, 7);
  return '';
}

/** Text for a date filter chip: "25 Nov 2022 – 30 Nov 2022", "from 2022", "until Mar 2023". */
export function date_chip_text(from, to) {
  const show = (text) => {
    if (text.length === 10) return format_date(text);
    if (text.length === 7) return kMonthFormat.format(new Date(`${text}-01T00:00:00Z`));
    return text;
  };
  if (from && to) {
    if (from === to) return `Date: ${show(from)}`;
    const whole = whole_period(from, to);
    if (whole) return `Date: ${show(whole)}`;
    return `Date: ${show(from)} – ${show(to)}`;
  }
  if (from) return `Date: from ${show(from)}`;
  return `Date: until ${show(to)}`;
}

/**
 * Shows one removable chip per active filter.
 * @param {HTMLElement} box  the container, hidden when nothing is active
 * @param {HTMLUListElement} list
 * @param {Object} state
 * @param {{outlet: (value: string) => void, lang: (code: string) => void, date: () => void}} on_remove
 */
export function render_chips(box, list, state, on_remove) {
  const chips = [];
  const chip = (text, remove) => {
    const button = el('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove filter ${text}` },
      el('span', { 'aria-hidden': 'true', text: '×' }));
    button.addEventListener('click', remove);
    return el('li', { class: 'chip' }, el('span', { class: 'chip-text', text }), button);
  };
  for (const outlet of state.outlets) chips.push(chip(`Outlet: ${outlet}`, () => on_remove.outlet(outlet)));
  for (const lang of state.langs) chips.push(chip(`Language: ${language_name(lang)}`, () => on_remove.lang(lang)));
  if (state.from || state.to) chips.push(chip(date_chip_text(state.from, state.to), on_remove.date));
  replace_children(list, ...chips);
  box.hidden = chips.length === 0;
}
