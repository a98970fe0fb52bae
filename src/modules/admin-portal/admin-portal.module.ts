import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { ADMIN_PORTAL_PATH, adminPortalRouter } from './admin-portal.static';

/**
 * Serves the admin portal (the Vite-built single-page app in admin/dist) at /admin with a strict
 * Content-Security-Policy. Mounted on the Express instance when the module initializes — after Nest's routes, before
 * its not-found handler — so no guard, throttle or API prefix applies to the static files; the portal's API calls
 * go through /api/v1 like every client's. Nothing is served in the worker role (no HTTP adapter there).
 * docs/admin-portal.md.
 */
@Module({})
export class AdminPortalModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    adapter.getInstance<Express>().use(ADMIN_PORTAL_PATH, adminPortalRouter());
  }
}
