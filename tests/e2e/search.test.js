/**
 * @file The search page in a real browser against the real server: typing, outlet and date
 * filters, chips, sorting, paging, errors and the URL as the page's state.
 */

import assert from 'node:assert/strict';

import { browser_suite, screenshot } from './harness.js';
import { assert_clean, chips, hits, load, outlet_checkbox, outlet_facet, params, searched, shown_total } from './page_helpers.js';

/** The API's answer for an empty query listing everything: what the test index holds. */
async function whole_index(app) {
  const everything = await app.api('/api/search?size=100');
  assert.ok(everything.total > 10, `the test index should hold more than one page, has ${everything.total}`);
  assert.equal(everything.hits.length, everything.total, 'one API page should hold the whole test index');
  return everything;
}

browser_suite('search page', (test) => {
  test('typing a query shows results with the query words highlighted', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    const expected = await app.api('/api/search?q=brannock');
    assert.ok(expected.total > 0);
    await searched(page, () => page.locator('#q').pressSequentially('brannock', { delay: 20 }));
    assert.equal(params(page).get('q'), 'brannock');
    const marks = await page.locator('#hits .snippet mark').allTextContents();
    assert.ok(marks.length > 0, 'no <mark> in any snippet');
    for (const mark of marks) assert.match(mark.toLowerCase(), /^brannock/);
    assert.equal(await shown_total(page), expected.total);
    assert.deepEqual((await hits(page)).map((hit) => hit.id), expected.hits.map((hit) => hit.id));
    assert.match(await page.locator('[aria-live="polite"]').textContent(), new RegExp(`${expected.total} results?`));
    await screenshot(page, 'results');
    assert_clean(problems);
    await context.close();
  });

  test('a newer search cancels the one still in flight', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    const is_search_for = (url, q) => new URL(url).pathname === '/api/search' && new URL(url).searchParams.get('q') === q;
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route((url) => is_search_for(url.href, 'strike'), async (route) => {
      await held;
      await route.continue().catch(() => {});
    });
    const aborted = page.waitForEvent('requestfailed', (request) => is_search_for(request.url(), 'strike'));
    await page.locator('#q').fill('strike');
    await page.locator('#q').press('Enter');
    await searched(page, async () => {
      await page.locator('#q').fill('stevedores');
      await page.locator('#q').press('Enter');
    });
    await aborted;
    release();
    assert.equal(await shown_total(page), (await app.api('/api/search?q=stevedores')).total);
    assert.equal(params(page).get('q'), 'stevedores');
    assert_clean(problems);
    await context.close();
  });

  test('Enter searches, and the help lists the query syntax', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    await page.locator('#q').fill('ferry');
    await searched(page, () => page.locator('#q').press('Enter'));
    assert.equal(params(page).get('q'), 'ferry');
    assert.equal(await shown_total(page), (await app.api('/api/search?q=ferry')).total);
    await page.locator('.syntax-help summary').click();
    const help = await page.locator('.syntax-help dl').textContent();
    for (const syntax of ['"exact phrase"', 'OR', 'NOT', '-kremlin', 'title:', 'author:', 'outlet:', 'date:2022-01..2022-06', '*']) {
      assert.ok(help.includes(syntax), `the help does not mention ${syntax}`);
    }
    assert_clean(problems);
    await context.close();
  });

  test('two outlets filter together and keep their counts', async (app) => {
    const everything = await whole_index(app);
    const [first, second] = everything.facets.outlet;
    assert.ok(first && second, 'the index should hold at least two outlets');
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#outlet-list .facet-item');
    await searched(page, () => outlet_checkbox(page, first.value).check());
    await searched(page, () => outlet_checkbox(page, second.value).check());
    assert.deepEqual(params(page).getAll('outlet'), [first.value, second.value]);
    const facet = await outlet_facet(page);
    for (const outlet of [first, second]) {
      const shown = facet.find((entry) => entry.value === outlet.value);
      assert.ok(shown, `${outlet.value} is no longer listed`);
      assert.equal(shown.checked, true);
      assert.equal(shown.count, outlet.count);
    }
    assert.equal(await shown_total(page), first.count + second.count);
    for (const hit of await hits(page)) assert.ok([first.value, second.value].includes(hit.outlet), `${hit.outlet} is not selected`);
    assert.deepEqual(await chips(page), [`Outlet: ${first.value}`, `Outlet: ${second.value}`]);
    await screenshot(page, 'outlets');

    await searched(page, () => page.getByRole('button', { name: `Remove filter Outlet: ${first.value}` }).click());
    assert.deepEqual(params(page).getAll('outlet'), [second.value]);
    assert.equal(await shown_total(page), second.count);
    assert.equal(await outlet_checkbox(page, first.value).isChecked(), false);
    await searched(page, () => page.getByRole('button', { name: 'Clear all filters' }).click());
    assert.deepEqual(params(page).getAll('outlet'), []);
    assert.equal(await shown_total(page), everything.total);
    assert.equal(await page.locator('#active-filters').isHidden(), true);
    assert_clean(problems);
    await context.close();
  });

  test('a selected outlet stays listed when the query finds nothing in it', async (app) => {
    const stevedores = await app.api('/api/search?q=stevedores');
    const elsewhere = (await whole_index(app)).facets.outlet
      .find((outlet) => !stevedores.facets.outlet.some((entry) => entry.value === outlet.value));
    assert.ok(elsewhere, 'some outlet should have no article about stevedores');
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, `/?q=stevedores&outlet=${encodeURIComponent(elsewhere.value)}`);
    assert.equal(await outlet_checkbox(page, elsewhere.value).isChecked(), true);
    assert.equal(await shown_total(page), 0);
    assert.match(await page.locator('#empty').textContent(), /remove the filters/);
    await searched(page, () => page.locator('#empty').getByRole('button', { name: 'remove the filters' }).click());
    assert.equal(await shown_total(page), stevedores.total);
    assert.deepEqual(params(page).getAll('outlet'), []);
    assert_clean(problems);
    await context.close();
  });

  test('clicking a histogram bar filters by its dates', async (app) => {
    const everything = await whole_index(app);
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#histogram .bar');
    const bar = page.locator('#histogram .bar:not(.empty)').first();
    const from = await bar.getAttribute('data-from');
    const to = await bar.getAttribute('data-to');
    const label = await bar.getAttribute('aria-label');
    const count = Number(/: ([\d,]+) articles?/.exec(label)[1].replace(/,/g, ''));
    await searched(page, () => bar.locator('.bar-hit').click());
    assert.equal(params(page).get('from'), from);
    assert.equal(params(page).get('to'), to);
    assert.equal(await shown_total(page), count);
    const shown = await hits(page);
    assert.ok(shown.length > 0);
    for (const hit of shown) assert.ok(hit.date >= from && hit.date <= to, `${hit.date} is outside ${from}..${to}`);
    assert.equal((await chips(page)).filter((chip) => chip.startsWith('Date:')).length, 1);
    assert.equal(await page.locator(`#histogram .bar[data-from="${from}"]`).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#from').inputValue(), from);
    await screenshot(page, 'date-bar');

    await searched(page, () => page.getByRole('button', { name: /^Remove filter Date:/ }).click());
    assert.equal(params(page).get('from'), null);
    assert.equal(params(page).get('to'), null);
    assert.equal(await shown_total(page), everything.total);
    assert_clean(problems);
    await context.close();
  });

  test('dragging across bars selects the range they cover', async (app) => {
    const everything = await whole_index(app);
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#histogram .bar');
    const bars = page.locator('#histogram .bar');
    const last = (await bars.count()) - 1;
    assert.ok(last >= 1, 'the histogram should have at least two bars');
    const start = await bars.nth(0).locator('.bar-hit').boundingBox();
    const end = await bars.nth(last).locator('.bar-hit').boundingBox();
    await searched(page, async () => {
      await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
      await page.mouse.down();
      await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 5 });
      await page.mouse.up();
    });
    const buckets = everything.facets.date.buckets;
    assert.equal(params(page).get('from'), buckets[0].from);
    assert.equal(params(page).get('to'), buckets[buckets.length - 1].to);
    assert.equal(await shown_total(page), everything.total - everything.facets.date.undated);
    assert.equal(await page.locator('#histogram .bar.selected').count(), buckets.length);
    assert_clean(problems);
    await context.close();
  });

  test('the date fields accept a year, a month or a day and reject other text', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    const expected = await app.api('/api/search?from=2022&to=2022-11');
    await page.locator('#from').fill('2022');
    await page.locator('#to').fill('2022-11');
    await searched(page, () => page.locator('#to').press('Enter'));
    assert.equal(params(page).get('from'), '2022');
    assert.equal(params(page).get('to'), '2022-11');
    assert.equal(await shown_total(page), expected.total);
    for (const hit of await hits(page)) assert.ok(hit.date >= '2022-01-01' && hit.date <= '2022-11-30', hit.date);

    await page.locator('#to').fill('2022-13');
    await page.locator('#to').press('Enter');
    assert.match(await page.locator('#date-error').textContent(), /2022-13/);
    assert.equal(await page.locator('#to').getAttribute('aria-invalid'), 'true');
    assert.equal(params(page).get('to'), '2022-11');
    assert_clean(problems);
    await context.close();
  });

  test('sorting by newest orders the dates from the latest', async (app) => {
    const everything = await whole_index(app);
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    await searched(page, () => page.locator('#sort').selectOption('newest'));
    assert.equal(params(page).get('sort'), 'newest');
    const dates = (await hits(page)).map((hit) => hit.date).filter((date) => date !== '');
    assert.ok(dates.length > 1);
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.equal(dates[0], everything.hits.map((hit) => hit.date ?? '').sort().at(-1), 'the newest article comes first');
    await searched(page, () => page.locator('#sort').selectOption('oldest'));
    const oldest = (await hits(page)).map((hit) => hit.date).filter((date) => date !== '');
    assert.deepEqual(oldest, [...oldest].sort());
    assert_clean(problems);
    await context.close();
  });

  test('the pager moves between pages of different results', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    const first = (await hits(page)).map((hit) => hit.id);
    assert.equal(first.length, 10);
    await searched(page, () => page.getByRole('navigation', { name: 'Result pages' }).getByRole('link', { name: 'Page 2' }).click());
    assert.equal(params(page).get('page'), '2');
    const second = (await hits(page)).map((hit) => hit.id);
    assert.ok(second.length > 0);
    for (const id of second) assert.ok(!first.includes(id), `${id} is on both pages`);
    assert.match(await page.locator('#summary').textContent(), /^11–/);
    assert.equal(await page.locator('.pager [aria-current="page"]').textContent(), '2');
    await searched(page, () => page.getByRole('link', { name: 'Previous page' }).click());
    assert.deepEqual((await hits(page)).map((hit) => hit.id), first);
    assert_clean(problems);
    await context.close();
  });

  test('a query the server rejects shows its message under the search box', async (app) => {
    const bad = 'date:2022-13..2023';
    const answer = await fetch(`${app.base_url}/api/search?q=${encodeURIComponent(bad)}`);
    assert.equal(answer.status, 400);
    const { error } = await answer.json();
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    await page.locator('#q').fill(bad);
    await searched(page, () => page.locator('#q').press('Enter'));
    const alert = page.locator('#query-error');
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.equal(await alert.textContent(), error.message);
    assert.equal(await page.locator('#q').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#hits > li').count(), 0);
    await screenshot(page, 'query-error');

    await page.locator('#q').fill('brannock');
    await searched(page, () => page.locator('#q').press('Enter'));
    assert.equal(await alert.textContent(), '');
    assert.ok((await page.locator('#hits > li').count()) > 0);
    assert_clean(problems);
    await context.close();
  });

  test('a query without matches shows the empty state', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    await page.locator('#q').fill('xylophonequartzzz');
    await searched(page, () => page.locator('#q').press('Enter'));
    assert.equal(await page.locator('#empty').isVisible(), true);
    assert.match(await page.locator('#empty').textContent(), /No articles match “xylophonequartzzz”/);
    assert.match(await page.locator('#summary').textContent(), /^No results/);
    assert_clean(problems);
    await context.close();
  });

  test('a misspelt query is answered corrected', async (app) => {
    // No article has "branock": the server searches its correction and says so.
    const misspelt = await app.api('/api/search?q=branock');
    assert.equal(misspelt.query, 'brannock');
    assert.equal(misspelt.corrected_from, 'branock');
    const original = await app.api('/api/search?q=branock&correct=false');
    assert.equal(original.total, 0);
    assert.equal(original.suggestion, 'brannock');
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, '/?q=branock');
    assert.equal(await shown_total(page), (await app.api('/api/search?q=brannock')).total);
    assert.equal(await page.locator('#suggestion').isHidden(), true);
    const corrected = page.locator('#corrected');
    assert.equal(await corrected.textContent(), 'Showing results for brannock. Search instead for branock.');
    // The query as typed: nothing found, and the correction offered as a suggestion.
    await searched(page, () => corrected.getByRole('link', { name: 'branock' }).click());
    assert.equal(params(page).get('correct'), 'false');
    assert.equal(await shown_total(page), 0);
    assert.equal(await corrected.isHidden(), true);
    const suggestion = page.locator('#suggestion');
    assert.equal(await suggestion.textContent(), 'Did you mean brannock?');
    await searched(page, () => suggestion.getByRole('link', { name: 'brannock' }).click());
    assert.equal(params(page).get('q'), 'brannock');
    assert.equal(params(page).get('correct'), null);
    assert.equal(await page.locator('#q').inputValue(), 'brannock');
    assert_clean(problems);
    await context.close();
  });

  test('a narrow date span is drawn as one bar per day', async (app) => {
    const answer = await app.api('/api/search?q=stevedores');
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, '/?q=stevedores');
    assert.equal(await page.locator('#histogram svg').getAttribute('aria-label'), `Articles by ${answer.facets.date.interval}`);
    assert.equal(await page.locator('#histogram .bar').count(), answer.facets.date.buckets.length);
    const labels = await page.locator('#histogram .axis-label').evaluateAll((texts) => texts.map((text) => {
      const box = text.getBBox();
      return { text: text.textContent, x: box.x, width: box.width };
    }));
    assert.ok(labels.length >= 2, 'the axis has at least two labels');
    for (let index = 1; index < labels.length; index += 1) {
      assert.ok(labels[index].x >= labels[index - 1].x + labels[index - 1].width, `axis labels overlap: ${JSON.stringify(labels)}`);
    }
    await screenshot(page, 'histogram-days');
    assert_clean(problems);
    await context.close();
  });

  test('the URL holds the state: reload, back and a shared link restore it', async (app) => {
    const outlet = (await app.api('/api/search?q=brannock')).facets.outlet[0].value;
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#outlet-list .facet-item');
    await page.locator('#q').fill('brannock');
    await searched(page, () => page.locator('#q').press('Enter'));
    const before_filter = (await hits(page)).map((hit) => hit.id);
    await searched(page, () => outlet_checkbox(page, outlet).check());
    await searched(page, () => page.locator('#sort').selectOption('oldest'));
    const url = page.url();
    const shown = await hits(page);
    assert.equal(params(page).get('q'), 'brannock');
    assert.deepEqual(params(page).getAll('outlet'), [outlet]);
    assert.equal(params(page).get('sort'), 'oldest');

    const restored = async (target) => {
      assert.equal(await target.locator('#q').inputValue(), 'brannock');
      assert.equal(await target.locator('#sort').inputValue(), 'oldest');
      assert.equal(await outlet_checkbox(target, outlet).isChecked(), true);
      assert.deepEqual(await hits(target), shown);
    };
    await searched(page, () => page.reload());
    await restored(page);

    await searched(page, () => page.goBack());
    assert.equal(params(page).get('sort'), null);
    assert.equal(await page.locator('#sort').inputValue(), 'relevance');
    await searched(page, () => page.goBack());
    assert.deepEqual(params(page).getAll('outlet'), []);
    assert.deepEqual((await hits(page)).map((hit) => hit.id), before_filter);
    await searched(page, () => page.goForward());
    await searched(page, () => page.goForward());
    assert.equal(page.url(), url);
    await restored(page);

    const shared = await app.open({ url: 'about:blank' });
    await load(shared.page, url);
    await restored(shared.page);
    assert_clean(shared.problems);
    await shared.context.close();
    assert_clean(problems);
    await context.close();
  });
});
