/**
 * @file What the page says about the server's reading of a query: a correction it searched
 * instead, a suggestion, results with only some of the words, notes, and a rejected query
 * with the place it goes wrong. The page is the real one from the real server; the answers
 * the server gives for these cases are stood in for (page.route) with the fields the API
 * defines, and a query the real server rejects is checked as well.
 */

import assert from 'node:assert/strict';

import { browser_suite, screenshot } from './harness.js';
import { assert_clean, load, params, searched } from './page_helpers.js';

/**
 * Answers /api/search requests whose q is a key of `answers` with that answer: an object is
 * a 200 body (merged over the real answer for `base`), `{error}` a 400. Other searches reach
 * the server. Returns the URLs of the searches answered, newest last.
 */
async function stand_in(page, app, answers, base) {
  const real = await app.api(`/api/search?q=${encodeURIComponent(base)}`);
  const seen = [];
  await page.route((url) => url.pathname === '/api/search' && answers[url.searchParams.get('q') ?? ''] !== undefined, async (route) => {
    const url = new URL(route.request().url());
    seen.push(url);
    const answer = answers[url.searchParams.get('q')];
    const body = typeof answer === 'function' ? answer(url) : answer;
    if (body.error) {
      await route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { status: 400, ...body.error } }) });
    } else {
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...real, ...body }) });
    }
  });
  return seen;
}

async function search_for(page, q) {
  await page.locator('#q').fill(q);
  await searched(page, () => page.locator('#q').press('Enter'));
}

/** The text of the feedback lines shown. */
function feedback(page) {
  return page.locator('#query-feedback > :not([hidden])').allTextContents();
}

/** Whether the export links and the feed are offered. */
async function exports_offered(page) {
  const links = await page.locator('#export-csv, #export-jsonl, #export-atom').evaluateAll((anchors) => anchors.map((a) => a.offsetParent !== null));
  const feed = await page.locator('head link[rel="alternate"][type="application/atom+xml"]').count();
  return { csv: links[0], jsonl: links[1], atom: links[2], feed: feed === 1 };
}

const kOffered = { csv: true, jsonl: true, atom: true, feed: true };
const kWithdrawn = { csv: false, jsonl: false, atom: false, feed: false };

browser_suite('query feedback', (test) => {
  test('a corrected query says so and offers the query as typed; a suggestion is a link', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    const seen = await stand_in(page, app, {
      prot: (url) => (url.searchParams.get('correct') === 'false'
        ? { query: 'prot', total: 0, hits: [], suggestion: 'port' }
        : { query: 'port', corrected_from: 'prot', suggestion: null }),
      port: { query: 'port', suggestion: null },
    }, 'port');

    await search_for(page, 'prot');
    assert.deepEqual(await feedback(page), ['Showing results for port. Search instead for prot.']);
    assert.match(await page.locator('#summary').textContent(), /for “port”/);
    const original = page.locator('#corrected a');
    const href = new URL(await original.getAttribute('href'), page.url());
    assert.equal(href.searchParams.get('q'), 'prot');
    assert.equal(href.searchParams.get('correct'), 'false');
    await screenshot(page, 'query-corrected');

    await searched(page, () => original.click());
    assert.equal(seen.at(-1).searchParams.get('correct'), 'false');
    assert.equal(params(page).get('correct'), 'false');
    assert.deepEqual(await feedback(page), ['Did you mean port?']);
    const suggestion = page.locator('#suggestion').getByRole('link', { name: 'port' });
    assert.equal(new URL(await suggestion.getAttribute('href'), page.url()).searchParams.get('q'), 'port');
    assert.equal(await page.locator('#export-csv').getAttribute('href'), 'api/search.csv?q=prot&correct=false');
    assert.equal(await page.locator('#export-jsonl').getAttribute('href'), 'api/search.jsonl?q=prot&correct=false');

    await searched(page, () => suggestion.click());
    assert.equal(params(page).get('q'), 'port');
    assert.equal(params(page).get('correct'), null, 'a new query is corrected again');
    assert.equal(seen.at(-1).searchParams.get('correct'), null);
    assert.deepEqual(await feedback(page), []);
    assert_clean(problems);
    await context.close();
  });

  test('results with only some of the words say which, and notes are shown', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    await stand_in(page, app, {
      'port strike zeppelin': { query: 'port strike zeppelin', matched: 'partial', dropped: ['port', 'strike', 'zeppelin'] },
      '"port strike': {
        query: '"port strike', matched: 'all',
        notes: [{ code: 'unclosed_quote', message: 'The quote is not closed: searched as if it ended the query.', position: 0 }],
      },
    }, 'port');

    await search_for(page, 'port strike zeppelin');
    assert.deepEqual(await feedback(page), ['No article has all of port, strike, and zeppelin; showing those with most.']);
    assert.deepEqual(await page.locator('#partial strong').allTextContents(), ['port', 'strike', 'zeppelin']);
    assert.ok((await page.locator('#hits > li').count()) > 0);
    await screenshot(page, 'query-partial');

    await search_for(page, '"port strike');
    assert.deepEqual(await feedback(page), ['The quote is not closed: searched as if it ended the query.']);
    assert.equal(await page.locator('#query-notes li').getAttribute('data-code'), 'unclosed_quote');
    assert.equal(await page.locator('#query-error').textContent(), '', 'a note is no error');
    assert.deepEqual(await exports_offered(page), kOffered);
    assert_clean(problems);
    await context.close();
  });

  test('a rejected query points at its position, and the export links hide until it is fixed', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    const error = (message, position) => ({ error: { code: 'invalid_query', message, param: 'q', position } });
    await stand_in(page, app, {
      'port AND': error('AND needs a word on both sides', 5),
      'title:': error('title: needs a word after it', 6),
      '𝒳 ÉTÉ OR': error('OR needs a word on both sides', 6),
    }, 'port');
    assert.deepEqual(await exports_offered(page), kOffered);

    await search_for(page, 'port AND');
    assert.equal(await page.locator('#query-error').textContent(), 'AND needs a word on both sides');
    assert.equal(await page.locator('#q').getAttribute('aria-invalid'), 'true');
    const where = page.locator('#query-where');
    assert.equal(await where.isVisible(), true);
    assert.equal(await where.locator('.query-echo').textContent(), 'port AND');
    assert.equal(await where.locator('.query-at').textContent(), 'A');
    assert.match(await where.textContent(), /^At character 6 of the query: /);
    assert.deepEqual(await exports_offered(page), kWithdrawn);
    await screenshot(page, 'query-error-position');

    // Past the last character: a marked blank at the end.
    await search_for(page, 'title:');
    assert.equal(await where.locator('.query-at').textContent(), '\u00a0');
    assert.match(await where.textContent(), /^At the end of the query: /);
    // Positions count characters, not UTF-16 units: 𝒳 is one character and two units.
    await search_for(page, '𝒳 ÉTÉ OR');
    assert.equal(await where.locator('.query-at').textContent(), 'O');

    await search_for(page, 'port');
    assert.equal(await page.locator('#query-error').textContent(), '');
    assert.equal(await where.isVisible(), false);
    assert.deepEqual(await exports_offered(page), kOffered);
    assert_clean(problems);
    await context.close();
  });

  test('without a query the newest come first, and the sort control says so', async (app) => {
    const newest = await app.api('/api/search?sort=newest');
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, '/');
    const sort = page.locator('#sort');
    assert.equal(await sort.inputValue(), 'newest');
    assert.equal(await sort.locator('option[value="relevance"]').isDisabled(), true);
    assert.equal(params(page).get('sort'), null);
    assert.deepEqual(await page.locator('#hits .hit-title').evaluateAll((links) => links.map((link) => link.dataset.id)),
      newest.hits.map((hit) => hit.id));
    // Opening an article re-renders the controls: they still show the order of the hits.
    await page.locator('.hit-title').first().click();
    await page.waitForSelector('#article[aria-busy="false"]', { state: 'attached' });
    assert.equal(await sort.inputValue(), 'newest');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#article-dialog', { state: 'hidden' });

    await search_for(page, 'port');
    assert.equal(await sort.inputValue(), 'relevance');
    assert.equal(await sort.locator('option[value="relevance"]').isDisabled(), false);
    assert_clean(problems);
    await context.close();
  });

  test('a query the real server rejects: its message, its position when given, no export links', async (app) => {
    const bad = 'date:2022-13..2023';
    const answer = await fetch(`${app.base_url}/api/search?q=${encodeURIComponent(bad)}`);
    assert.equal(answer.status, 400);
    const { error } = await answer.json();
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    await load(page, `/?q=${encodeURIComponent(bad)}`);
    assert.equal(await page.locator('#query-error').textContent(), error.message);
    assert.deepEqual(await exports_offered(page), kWithdrawn);
    const where = page.locator('#query-where');
    if (Number.isInteger(error.position)) {
      assert.equal(await where.locator('.query-at').getAttribute('data-position'), String(Math.min(error.position, [...bad].length)));
    } else {
      assert.equal(await where.isVisible(), false, 'no position, no pointer');
    }
    await search_for(page, 'port');
    assert.deepEqual(await exports_offered(page), kOffered);
    assert_clean(problems);
    await context.close();
  });
});
