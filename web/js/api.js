/**
 * @file Calls to the Clippings HTTP API. Errors come back as ApiError carrying the server's
 * {status, code, message, param}; aborted requests reject with the DOMException AbortError.
 */

import { format_count } from './dom.js';
import { search_params } from './state.js';

export class ApiError extends Error {
  /** @param {{status?: number, code?: string, message?: string, param?: string, position?: number}} body */
  constructor(body) {
    super(body.message || 'The server could not answer.');
    this.name = 'ApiError';
    this.status = body.status ?? 0;
    this.code = body.code ?? 'error';
    this.param = body.param ?? '';
    /** Where in the parameter's text the problem is: a code point offset, or null. */
    this.position = Number.isInteger(body.position) && body.position >= 0 ? body.position : null;
  }
}

async function get_json(url, signal) {
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError({ code: 'network', message: 'The search server cannot be reached. Check your connection and try again.' });
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    if (error.name === 'AbortError') throw error;
  }
  if (!response.ok) {
    const detail = body && body.error ? body.error : {};
    throw new ApiError({
      status: response.status,
      code: detail.code,
      message: detail.message || `The server answered ${response.status} ${response.statusText}.`,
      param: detail.param,
      position: detail.position,
    });
  }
  if (body === null) throw new ApiError({ status: response.status, code: 'bad_response', message: 'The server sent an unreadable answer.' });
  return body;
}

/** Runs a search for a state. */
export function search(state, signal) {
  const query = search_params(state);
  return get_json(`api/search?${query ? `${query}&` : ''}facets=timeline`, signal);
}

/** One article, highlighted for `q`. */
export function article(id, q, signal) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  const query = params.toString();
  return get_json(`api/articles/${encodeURIComponent(id)}${query ? `?${query}` : ''}`, signal);
}

/** Every copy of an article, in other outlets. */
export function copies(id, signal) {
  return get_json(`api/articles/${encodeURIComponent(id)}/copies`, signal);
}

/** Articles similar to one. */
export function similar(id, size, signal) {
  return get_json(`api/articles/${encodeURIComponent(id)}/similar?size=${size}`, signal);
}

/** Download and feed links for the current search (every page of it). */
export function export_url(state, format) {
  const params = search_params(state, { view: false });
  const query = params.toString();
  return `api/search.${format}${query ? `?${query}` : ''}`;
}

let export_limit_request = null;

/** The most rows an export holds (the server's max_export_rows), asked once; null if unknown. */
export function export_limit() {
  export_limit_request ??= get_json('api/stats').then((stats) => stats.max_export_rows ?? null, () => null);
  return export_limit_request;
}

/** What the page says under the export links when a result is longer than an export holds. */
export function export_note(total, limit) {
  if (!limit || total <= limit) return '';
  return `The CSV and JSON Lines files hold the first ${format_count(limit)} of ${format_count(total)} results, in the order shown.`;
}
