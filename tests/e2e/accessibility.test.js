/**
 * @file axe-core finds nothing on the page's main states: the landing page, results, the
 * article view, a rejected query, the narrow layout with its filters open, and the dark scheme.
 * Also what axe does not check: one <h1>, and histogram bars named by the text they show.
 */

import assert from 'node:assert/strict';

import { axe_violations } from './axe.js';
import { browser_suite } from './harness.js';
import { assert_clean, load, searched } from './page_helpers.js';

/** A word of the first article's title: a query with results whatever the test index holds. */
async function a_query(app) {
  const first = (await app.api('/api/search?size=1')).hits[0];
  const word = first.title.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 4).at(0);
  assert.ok(word, `no word to search for in "${first.title}"`);
  return word.toLowerCase();
}

async function assert_no_violations(page, state) {
  const violations = await axe_violations(page);
  assert.deepEqual(violations, [], `axe found problems on ${state}:\n${JSON.stringify(violations, null, 2)}`);
}

browser_suite('accessibility', (test) => {
  test('the landing page, results and a second page have no axe violations and one h1', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, '/');
    await page.waitForSelector('#histogram .bar');
    assert.equal(await page.locator('h1').count(), 1);
    await assert_no_violations(page, 'the landing page');

    await load(page, `/?q=${encodeURIComponent(await a_query(app))}`);
    assert.ok((await page.locator('#hits > li').count()) > 0);
    await assert_no_violations(page, 'the results');

    // The pager's disabled step ("Next" on the last page, "Previous" on the first) is drawn too.
    await load(page, '/?page=2');
    assert.equal(await page.locator('.pager .disabled').count() + await page.locator('.pager a').count() > 1, true);
    await assert_no_violations(page, 'a second page of everything');
    await load(page, '/');
    assert.equal(await page.locator('.pager .disabled').count(), 1, 'the first page has a disabled Previous');
    await assert_no_violations(page, 'the first page of everything');
    assert_clean(problems);
    await context.close();
  });

  test('the article view has no axe violations', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, `/?q=${encodeURIComponent(await a_query(app))}`);
    await page.locator('.hit-title').first().click();
    await page.waitForSelector('#article[aria-busy="false"]', { state: 'attached' });
    await page.waitForSelector('#similar-list li');
    assert.equal(await page.locator('#article-dialog').isVisible(), true);
    await assert_no_violations(page, 'the article view');
    assert_clean(problems);
    await context.close();
  });

  test('a rejected query has no axe violations', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    await page.locator('#q').fill('date:2022-13..2023');
    await searched(page, () => page.locator('#q').press('Enter'));
    assert.notEqual(await page.locator('#query-error').textContent(), '');
    await assert_no_violations(page, 'a rejected query');
    assert_clean(problems);
    await context.close();
  });

  test('the narrow layout, with its filters closed and open, has no axe violations', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank', viewport: { width: 390, height: 844 } });
    await load(page, `/?q=${encodeURIComponent(await a_query(app))}`);
    await assert_no_violations(page, 'the narrow layout');
    await page.getByRole('button', { name: /^Filters/ }).click();
    await page.waitForSelector('#histogram .bar');
    await assert_no_violations(page, 'the narrow layout with the filters open');
    assert_clean(problems);
    await context.close();
  });

  test('the dark colour scheme has no axe violations', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank', color_scheme: 'dark' });
    await load(page, '/');
    await page.waitForSelector('#histogram .bar');
    await assert_no_violations(page, 'the dark landing page');
    assert_clean(problems);
    await context.close();
  });

  test('each histogram bar is named by the text it shows, then its count', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    // The rarest outlet's articles span less time: shorter buckets, labels without the year.
    const rarest = (await app.api('/api/search?facet_size=all')).facets.outlet.at(-1).value;
    for (const url of ['/', `/?q=${encodeURIComponent(await a_query(app))}`, `/?outlet=${encodeURIComponent(rarest)}`]) {
      await load(page, url);
      await page.waitForSelector('#histogram .bar');
      const bars = await page.locator('#histogram .bar').evaluateAll((groups) => groups.map((group) => ({
        name: group.getAttribute('aria-label'),
        label: group.querySelector('.axis-label')?.textContent ?? '',
        count: group.querySelector('.bar-count')?.textContent ?? '',
      })));
      assert.ok(bars.some((bar) => bar.label !== ''), `no bar of ${url} shows a label`);
      for (const bar of bars) {
        const plain = (text) => text.replace(/[:,]/g, '');
        const shown = plain([bar.label, bar.count].filter((text) => text !== '').join(' '));
        const name = plain(bar.name);
        assert.ok(name.startsWith(shown) || (bar.label === '' && name.includes(plain(bar.count))),
          `the bar named "${bar.name}" shows "${shown}"`);
      }
    }
    assert_clean(problems);
    await context.close();
  });
});
