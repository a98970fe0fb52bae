import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the admin portal is served (outside the API prefix; the portal calls the API at /api/v1). */
export const ADMIN_PORTAL_PATH = '/admin';

/** The built portal: admin/dist at the repository root (three levels up from src/ and from dist/ alike). */
export const ADMIN_PORTAL_DIST = resolve(__dirname, '..', '..', '..', 'admin', 'dist');

/**
 * Strict Content-Security-Policy: every script, style, image and request from this origin only; no inline script
 * or style element, no eval, no plugins, no framing, no foreign form targets. The Vite build emits only external
 * module scripts and stylesheets, so nothing in the portal needs an exception.
 */
export const ADMIN_PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', ADMIN_PORTAL_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function errorBody(req: Request, statusCode: number, code: string, message: string) {
  return { statusCode, code, message, requestId: (req as Request & { id?: string }).id ?? null };
}

/**
 * The portal's files under /admin: hashed assets cached for a year, index.html never cached, any other path
 * without a file extension answered with index.html (the single-page app's routes: /admin/accounts/O000123 …).
 * A missing asset is a 404 in the common error shape, never index.html. Without a build: 503 saying how to build.
 */
export function adminPortalRouter(dist: string = ADMIN_PORTAL_DIST): Router {
  const router = express.Router();
  const index = join(dist, 'index.html');
  router.use((req: Request, res: Response, next: NextFunction) => {
    securityHeaders(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).setHeader('Allow', 'GET, HEAD');
      res.json(errorBody(req, 405, 'METHOD_NOT_ALLOWED', 'The admin portal only answers GET and HEAD'));
      return;
    }
    if (!existsSync(index)) {
      res
        .status(503)
        .json(
          errorBody(
            req,
            503,
            'ADMIN_PORTAL_NOT_BUILT',
            'The admin portal is not built: run `npm run build` (or `npm start`, which builds it)',
          ),
        );
      return;
    }
    next();
  });
  router.use(
    '/assets',
    express.static(join(dist, 'assets'), {
      index: false,
      redirect: false,
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
    }),
  );
  router.use(express.static(dist, { index: false, redirect: false, fallthrough: true, maxAge: 0 }));
  router.use((req: Request, res: Response) => {
    // a file name (an extension) or anything under assets/ that was not found is a 404, not the app
    if (req.path.startsWith('/assets/') || /\.[A-Za-z0-9]+$/.test(req.path)) {
      res.status(404).json(errorBody(req, 404, 'NOT_FOUND', 'No such file in the admin portal'));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
