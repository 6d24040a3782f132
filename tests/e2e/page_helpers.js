/**
 * @file What the tests do to the search page and read back from it, in one place.
 */

import assert from 'node:assert/strict';

/** Runs `action` and waits until the search it starts has been answered and rendered. */
export async function searched(page, action) {
  const response = page.waitForResponse((candidate) => new URL(candidate.url()).pathname === '/api/search');
  await action();
  await response;
  await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
}

/** Opens the page at `url` and waits for its first search. */
export async function load(page, url) {
  await searched(page, () => page.goto(url));
}

/** The page URL's parameters. */
export function params(page) {
  return new URL(page.url()).searchParams;
}

/** The shown hits: id, title text, outlet, date ("" when undated), snippet text. */
export function hits(page) {
  return page.locator('#hits > li').evaluateAll((items) => items.map((item) => ({
    id: item.querySelector('.hit-title').dataset.id,
    title: item.querySelector('.hit-title').textContent,
    outlet: item.querySelector('.outlet')?.textContent ?? '',
    date: item.querySelector('time')?.getAttribute('datetime') ?? '',
  })));
}

/** The total in the summary line ("1–10 of 34 results ..." or "34 results ..."). */
export async function shown_total(page) {
  const text = await page.locator('#summary').textContent();
  if (/^No results/.test(text)) return 0;
  const match = /(?:of )?([\d,.\u202f\u00a0]+) results?/.exec(text);
  assert.ok(match, `summary "${text}" names no total`);
  return Number(match[1].replace(/[^\d]/g, ''));
}

/** The outlet facet as shown: name, count, checked. */
export function outlet_facet(page) {
  return page.locator('#outlet-list .facet-item').evaluateAll((items) => items.map((item) => ({
    value: item.querySelector('.facet-name').textContent,
    count: Number(item.querySelector('.facet-count').textContent.replace(/[^\d]/g, '')),
    checked: item.querySelector('input').checked,
  })));
}

/** The checkbox of one outlet in the facet. */
export function outlet_checkbox(page, value) {
  return page.locator(`#outlet-list input[type="checkbox"][value="${value.replace(/["\\]/g, '\\$&')}"]`);
}

/** The chips' texts. */
export function chips(page) {
  return page.locator('#chips .chip-text').allTextContents();
}

/** Fails when the page threw, broke its Content-Security-Policy or opened a JavaScript dialog. */
export function assert_clean(problems) {
  assert.deepEqual(problems, [], 'the page reported problems');
}
