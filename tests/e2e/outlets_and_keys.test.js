/**
 * @file The outlet list's filter box and "Show all", the / shortcut after a click on an
 * outlet, and the narrow layout's "Show N results", against a server that lists three outlets
 * (facet_size_3.yaml) so that the small test index has more outlets than the list shows.
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { browser_suite, screenshot } from './harness.js';
import { assert_clean, load, outlet_checkbox, outlet_facet, params, searched, shown_total } from './page_helpers.js';

const kConfig = path.join(path.dirname(fileURLToPath(import.meta.url)), 'facet_size_3.yaml');
const kListed = 3;

/** Every outlet of the index with its count, most frequent first. */
async function every_outlet(app) {
  const answer = await app.api('/api/search?facet_size=all');
  assert.ok(answer.facets.outlet.length > kListed, `the test index should hold more than ${kListed} outlets`);
  assert.equal(answer.facets.outlet_total, answer.facets.outlet.length);
  return answer.facets.outlet;
}

/** The id and type of the focused element. */
function focused(page) {
  return page.evaluate(() => ({ id: document.activeElement?.id ?? '', type: document.activeElement?.type ?? '' }));
}

browser_suite('outlet list, keyboard and narrow layout', (test) => {
  test('/ focuses the search box after a click on an outlet, and typing leaves the outlet ticked', async (app) => {
    const [outlet] = await every_outlet(app);
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#outlet-list .facet-item');
    await searched(page, () => outlet_checkbox(page, outlet.value).click());
    assert.equal((await focused(page)).type, 'checkbox', 'the click leaves the focus on the checkbox');

    await page.keyboard.press('/');
    assert.equal((await focused(page)).id, 'q', '/ moves the focus to the search box');
    await searched(page, () => page.keyboard.type('harbour strike talks', { delay: 10 }));
    assert.equal(await page.locator('#q').inputValue(), 'harbour strike talks');
    assert.equal(await outlet_checkbox(page, outlet.value).isChecked(), true, 'a space toggled the outlet');
    assert.deepEqual(params(page).getAll('outlet'), [outlet.value]);

    // From a select too; but inside a text field, / is text.
    await load(page, '/');
    await page.locator('#sort').focus();
    await page.keyboard.press('/');
    assert.equal((await focused(page)).id, 'q');
    await page.locator('#outlet-filter').focus();
    await searched(page, () => page.keyboard.type('/'));
    assert.equal(await page.locator('#outlet-filter').inputValue(), '/');
    assert.equal((await focused(page)).id, 'outlet-filter');
    assert_clean(problems);
    await context.close();
  });

  test('"Show all" lists every outlet with its count, and back to the most frequent', async (app) => {
    const everything = await every_outlet(app);
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#outlet-list .facet-item');
    assert.equal((await outlet_facet(page)).length, kListed);
    const more = page.locator('#outlet-more');
    assert.equal(await more.textContent(), `Show all ${everything.length} outlets`);

    await searched(page, () => more.click());
    assert.equal(params(page).get('facet_size'), 'all');
    assert.deepEqual((await outlet_facet(page)).map(({ value, count }) => ({ value, count })),
      everything.map(({ value, count }) => ({ value, count })));
    assert.equal(await more.textContent(), 'Show the most frequent outlets');
    assert.equal((await focused(page)).id, 'outlet-more', 'the button keeps the focus');
    await screenshot(page, 'outlets-all');

    await searched(page, () => more.click());
    assert.equal(params(page).get('facet_size'), null);
    assert.equal((await outlet_facet(page)).length, kListed);
    assert_clean(problems);
    await context.close();
  });

  test('the filter box lists the outlets with a word starting with what is typed', async (app) => {
    const everything = await every_outlet(app);
    const counts = new Map(everything.map((outlet) => [outlet.value, outlet.count]));
    // An outlet beyond the first three, found by the start of one of its words, typed in capitals.
    const hidden = everything[everything.length - 1];
    const word = hidden.value.split(/[^\p{L}\p{N}]+/u).find((part) => part.length >= 3);
    const prefix = word.slice(0, 3).toUpperCase();
    const expected = (await app.api(`/api/search?facet_size=all&facet_query=${encodeURIComponent(prefix)}`)).facets.outlet;
    assert.ok(expected.some((outlet) => outlet.value === hidden.value));

    const { page, context, problems } = await app.open();
    await page.waitForSelector('#outlet-list .facet-item');
    const total = await shown_total(page);
    await searched(page, () => page.locator('#outlet-filter').pressSequentially(prefix, { delay: 20 }));
    assert.equal(params(page).get('facet_query'), prefix);
    const listed = await outlet_facet(page);
    assert.deepEqual(listed.map((outlet) => outlet.value), expected.slice(0, kListed).map((outlet) => outlet.value));
    for (const outlet of listed) assert.equal(outlet.count, counts.get(outlet.value), `${outlet.value} counted as without the filter`);
    assert.equal(await shown_total(page), total, 'the filter box narrows the list, not the results');
    await screenshot(page, 'outlets-filtered');

    // A ticked outlet stays listed when the filter no longer finds it.
    await searched(page, () => outlet_checkbox(page, hidden.value).check());
    await page.locator('#outlet-filter').fill('');
    await searched(page, () => page.locator('#outlet-filter').pressSequentially('zzqx', { delay: 20 }));
    assert.deepEqual(await outlet_facet(page), [{ value: hidden.value, count: hidden.count, checked: true }]);
    // A click, not uncheck(): the box leaves the list at once, before uncheck() could read it.
    await searched(page, () => outlet_checkbox(page, hidden.value).click());
    assert.equal(await page.locator('#outlet-list .facet-empty').textContent(), 'No outlet has a word starting with “zzqx”.');
    assert_clean(problems);
    await context.close();
  });

  test('on a phone, "Show N results" closes the filters and brings the first result into view', async (app) => {
    const [outlet] = await every_outlet(app);
    const viewport = { width: 390, height: 844 };
    const { page, context, problems } = await app.open({ url: 'about:blank', viewport });
    await load(page, '/');
    const toggle = page.getByRole('button', { name: /^Filters/ });
    await toggle.click();
    const button = page.locator('#show-results');
    await searched(page, () => outlet_checkbox(page, outlet.value).check());
    assert.equal(await button.isVisible(), true);
    assert.equal(await button.textContent(), `Show ${outlet.count} ${outlet.count === 1 ? 'result' : 'results'}`);
    // The button stays in view at the foot of the open panel.
    const box = await button.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `the button is at ${box.y}`);
    const before = await page.locator('#hits > li').first().boundingBox();
    assert.ok(before.y > viewport.height, 'the first result starts below the open filters');

    await button.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#filters-body').isVisible(), false);
    const first = await page.locator('#hits > li').first().boundingBox();
    assert.ok(first.y >= 0 && first.y < viewport.height / 2, `the first result is at ${first.y}`);
    assert.equal((await focused(page)).id, 'results');
    await screenshot(page, 'mobile-show-results', { full_page: false });

    // On a wide screen the panel never covers the results: no such button.
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(await button.isVisible(), false);
    assert_clean(problems);
    await context.close();
  });
}, { server_args: ['--config', kConfig] });
