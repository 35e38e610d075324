import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import accepts from 'accepts';
import express from 'express';

// The GraphiQL explorer, served entirely from People's own origin: the page, its bootstrap script
// and the GraphiQL/React UMD bundles straight out of node_modules. No CDN and no build step, so it
// works offline and on a fresh clone right after `npm ci`.

export const explorerPath = '/explorer';
const assetsPath = `${explorerPath}/assets`;

/**
 * Scripts, styles and fetches only from People itself; inline scripts stay forbidden (the bootstrap
 * is a file of its own). Two exceptions, both for GraphiQL: fonts are data: URLs inside
 * graphiql.min.css (the empty favicon is one too), and its dialogs (Radix UI's scroll lock) insert a
 * <style> element whose text depends on the scrollbar's width, so no hash can name it: inline
 * <style> elements are allowed, style="" attributes are not. Styles cannot run code.
 */
export const explorerContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-elem 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const javascript = 'text/javascript; charset=utf-8';
const css = 'text/css; charset=utf-8';

interface Asset {
  file: string;
  contentType: string;
}

const ownAssets = fileURLToPath(new URL('./explorer-assets/', import.meta.url));

/** The package's directory; its `exports` hide the UMD files, but not package.json. */
function packageDirectory(name: string): string {
  return path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}

function explorerAssets(): Map<string, Asset> {
  const graphiql = packageDirectory('graphiql');
  const react = packageDirectory('react');
  const reactDom = packageDirectory('react-dom');
  return new Map([
    ['react.production.min.js', { file: path.join(react, 'umd/react.production.min.js'), contentType: javascript }],
    ['react-dom.production.min.js', { file: path.join(reactDom, 'umd/react-dom.production.min.js'), contentType: javascript }],
    ['graphiql.min.js', { file: path.join(graphiql, 'graphiql.min.js'), contentType: javascript }],
    ['graphiql.min.css', { file: path.join(graphiql, 'graphiql.min.css'), contentType: css }],
    ['bootstrap.js', { file: path.join(ownAssets, 'bootstrap.js'), contentType: javascript }],
    ['explorer.css', { file: path.join(ownAssets, 'explorer.css'), contentType: css }],
  ]);
}

function setCommonHeaders(res: express.Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * Routes for /explorer and its assets. Only the files listed above are served: an express.static
 * over node_modules would publish every dependency's source.
 */
export function createExplorerRouter(): express.Router {
  const assets = explorerAssets();
  const page = path.join(ownAssets, 'index.html');
  // Missing files (a dependency not installed, assets not copied next to a build) should stop the
  // start, not show up as a blank page later.
  const missing = [page, ...[...assets.values()].map((asset) => asset.file)].filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`The GraphQL explorer is enabled but its files are missing: ${missing.join(', ')}`);

  const router = express.Router();
  router.get(explorerPath, (_req, res, next) => {
    setCommonHeaders(res);
    res.setHeader('Content-Security-Policy', explorerContentSecurityPolicy);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    res.type('html');
    res.sendFile(page, (error) => sendFailed(error, res, next));
  });
  router.get(`${assetsPath}/:name`, (req, res, next) => {
    const asset = assets.get(req.params.name);
    if (!asset) {
      next();
      return;
    }
    setCommonHeaders(res);
    // Revalidated on every load (cheap: ETag), so an upgraded dependency is never served stale.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Type', asset.contentType);
    res.sendFile(asset.file, (error) => sendFailed(error, res, next));
  });
  return router;
}

/** A file that could not be sent; once the headers are out (the client went away) there is nobody to tell. */
function sendFailed(error: Error | undefined, res: express.Response, next: express.NextFunction): void {
  if (error && !res.headersSent) next(error);
}

/**
 * A browser opening /graphql gets the explorer. Only a plain page load (HTML preferred, no
 * operation in the URL): GET operations from clients keep going to Apollo. True when it answered.
 */
export function sendBrowserToExplorer(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (new URLSearchParams(req.url?.split('?')[1] ?? '').has('query')) return false;
  if (accepts(req).type(['application/json', 'text/html']) !== 'text/html') return false;
  res.statusCode = 302;
  res.setHeader('location', explorerPath);
  res.end();
  return true;
}
