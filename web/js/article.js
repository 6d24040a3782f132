/**
 * @file The article dialog: full text with the query's words highlighted, metadata, the link
 * to the source, the other outlets that published it and similar articles. Closing it returns focus to whatever opened it.
 */

import * as api from './api.js';
import { date_element, el, highlighted, host_of, replace_children, safe_url } from './dom.js';
import { set_text_attributes } from './languages.js';
import { hit_meta } from './results.js';

const kSimilarCount = 5;

/** Splits escaped text into paragraphs on blank lines. */
function paragraphs(text_html) {
  return String(text_html ?? '').split(/\n[ \t\r]*\n/).map((part) => part.trim()).filter((part) => part !== '');
}

export class ArticleView {
  /**
   * @param {HTMLDialogElement} dialog
   * @param {{on_close: () => void, on_open_similar: (id: string) => void}} handlers
   */
  constructor(dialog, handlers) {
    this.dialog_ = dialog;
    this.handlers_ = handlers;
    this.controller_ = null;
    this.id_ = '';
    this.$ = (id) => dialog.querySelector(`#${id}`);
    this.$('article-close').addEventListener('click', () => this.dialog_.close());
    dialog.addEventListener('close', () => {
      this.controller_?.abort();
      const was_open = this.id_ !== '';
      this.id_ = '';
      if (was_open) handlers.on_close();
    });
    // A click on the backdrop (outside the panel) closes, as the Close button does.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
  }

  /** The id of the article shown, or "". */
  get id() {
    return this.id_;
  }

  /** Opens (or switches to) an article; `q` is highlighted in its text. */
  async show(id, q) {
    if (this.id_ === id && this.dialog_.open) return;
    this.controller_?.abort();
    this.controller_ = new AbortController();
    const { signal } = this.controller_;
    this.id_ = id;
    this.clear_();
    this.$('article').setAttribute('aria-busy', 'true');
    if (!this.dialog_.open) this.dialog_.showModal();
    this.$('article-title').focus();
    try {
      // Similar articles and copies are extras: the article shows without them.
      const or_default = (fallback) => (error) => {
        if (error.name === 'AbortError') throw error;
        return fallback;
      };
      const [article, similar, copies] = await Promise.all([
        api.article(id, q, signal),
        api.similar(id, kSimilarCount, signal).catch(or_default({ hits: [] })),
        api.copies(id, signal).catch(or_default({ items: [] })),
      ]);
      this.fill_(article, similar.hits ?? []);
      this.fill_copies_(copies);
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.$('article-title').textContent = 'Article unavailable';
      this.$('article-error').textContent = error.message;
    } finally {
      if (!signal.aborted) this.$('article').setAttribute('aria-busy', 'false');
    }
    this.dialog_.scrollTop = 0;
  }

  /** Closes without telling the page (the page already changed its state). */
  hide() {
    if (!this.dialog_.open) return;
    this.id_ = '';
    this.dialog_.close();
  }

  clear_() {
    for (const id of ['article-outlet', 'article-title', 'article-meta', 'article-source', 'article-copies', 'article-text', 'article-error', 'similar-list']) {
      replace_children(this.$(id));
    }
    for (const id of ['article-title', 'article-text']) set_text_attributes(this.$(id), {});
    this.$('article-title').textContent = 'Loading…';
  }

  fill_(article, similar) {
    this.$('article-outlet').textContent = article.outlet || '';
    replace_children(this.$('article-title'), highlighted(article.title_html || article.title || '(untitled)'));
    const meta = [date_element(article.date)];
    if (article.author) meta.push(el('span', { class: 'author', text: `By ${article.author}` }));
    const meta_node = this.$('article-meta');
    meta.forEach((part, index) => {
      if (index > 0) meta_node.append(el('span', { class: 'sep', 'aria-hidden': 'true', text: '·' }));
      meta_node.append(part);
    });
    const href = safe_url(article.url);
    if (href) {
      this.$('article-source').append(el('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank' },
        `Read the original at ${host_of(href)}`, el('span', { class: 'visually-hidden', text: ' (opens in a new tab)' })));
    }
    const text = this.$('article-text');
    set_text_attributes(text, article);
    set_text_attributes(this.$('article-title'), article);
    // text_html is escaped with <mark> added; plain `text` is shown as text when it is absent.
    const escaped = typeof article.text_html === 'string';
    const parts = paragraphs(escaped ? article.text_html : article.text);
    replace_children(text, ...parts.map((part) => el('p', {}, escaped ? highlighted(part) : part)));
    if (parts.length === 0) text.append(el('p', { class: 'muted', text: 'This article has no text.' }));
    this.fill_similar_(similar);
  }

  /** "Also published by A, B; first by C on 4 March 2025." Each outlet opens its copy. */
  fill_copies_(copies) {
    const items = copies.items ?? [];
    if (items.length === 0) return;
    const node = this.$('article-copies');
    node.append('Also published by ');
    items.forEach((copy, index) => {
      if (index > 0) node.append(', ');
      const button = el('button', { type: 'button', class: 'copy-link', 'data-id': copy.id, text: copy.outlet || copy.id });
      button.addEventListener('click', () => this.handlers_.on_open_similar(copy.id));
      node.append(button);
    });
    const first = copies.first;
    if (first) {
      node.append(first.id === this.id_ ? '; this one was first, on ' : `; first by ${first.outlet || first.id} on `, date_element(first.date));
    }
    node.append('.');
  }

  fill_similar_(hits) {
    const list = this.$('similar-list');
    if (hits.length === 0) {
      list.append(el('li', { class: 'muted', text: 'No similar articles.' }));
      return;
    }
    for (const hit of hits) {
      const button = el('button', { type: 'button', class: 'similar-title', 'data-id': hit.id }, highlighted(hit.title_html || hit.title || '(untitled)'));
      button.addEventListener('click', () => this.handlers_.on_open_similar(hit.id));
      list.append(el('li', {}, button, hit_meta(hit)));
    }
  }
}
