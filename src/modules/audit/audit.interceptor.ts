import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { concatMap, type Observable } from 'rxjs';
import { RequestContext } from '../../common/context/request-context';
import { AuditAction } from './audit-action';
import { AuditService } from './audit.service';
import { WRITE_METHODS } from '../../common/http/api';

/**
 * Register globally (APP_INTERCEPTOR). After a POST/PUT/PATCH/DELETE handler succeeded, and before its response is
 * sent, writes a generic `http.request` entry — unless a service already recorded a specific entry for this
 * request (`context.audited`). A failure to write this generic entry is logged and does not fail the request;
 * failed requests (the handler threw) get no generic entry.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly audit: AuditService,
    private readonly context: RequestContext,
  ) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() !== 'http') return next.handle();
    const http = execution.switchToHttp();
    const req = http.getRequest<Request>();
    if (!WRITE_METHODS.has(req.method)) return next.handle();
    const res = http.getResponse<Response>();
    let done = false;
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        if (!done) {
          done = true; // a streaming handler may emit more than once: one entry per request
          await this.recordGeneric(req, res);
        }
        return value;
      }),
    );
  }

  private async recordGeneric(req: Request, res: Response): Promise<void> {
    if (this.context.audited) return;
    const routePath = (req as { route?: { path?: unknown } }).route?.path;
    const id = (req.params as Record<string, unknown> | undefined)?.id;
    try {
      await this.audit.record({
        action: AuditAction.HttpRequest,
        organizationId: this.context.tenant?.organizationId ?? null,
        targetId: typeof id === 'string' && id !== '' ? id : undefined,
        // the route pattern (`/api/v1/contracts/:id`), never the raw URL with its query string
        metadata: {
          method: req.method,
          path: typeof routePath === 'string' ? routePath : req.path,
          statusCode: res.statusCode,
        },
      });
    } catch (error) {
      this.logger.error(
        { err: error, requestId: this.context.requestId, method: req.method, path: routePath },
        'Could not write the generic audit entry',
      );
    }
  }
}
