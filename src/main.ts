import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './bootstrap';
import { API_PREFIX } from './common/http/api';
import { ConfigError, hasApi, loadConfig, type AppConfig } from './config/app-config';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop taking requests, let running jobs finish (BullMQ workers close),
 * close MongoDB and Redis. If that takes longer than SHUTDOWN_TIMEOUT_MS the process exits anyway.
 */
function handleSignals(app: INestApplicationContext, config: AppConfig): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`WestWallet: ${signal} received, shutting down…\n`);
    setTimeout(() => fail('WestWallet: shutdown timed out'), config.shutdownTimeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`WestWallet: error while shutting down: ${String(error)}`),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const app = await createApp(config);
  handleSignals(app, config);
  if (hasApi(config.role)) {
    const http = app as NestExpressApplication;
    await http.listen(config.http.port, config.http.host);
    const base = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`;
    process.stdout.write(
      `WestWallet (${config.role}) is running\n  API:  ${base}/${API_PREFIX}\n  Docs: ${config.http.docsEnabled ? `${base}/docs` : 'off (DOCS_ENABLED)'}\n  Health: ${base}/health/ready\n`,
    );
  } else {
    await app.init();
    process.stdout.write('WestWallet worker is running (no HTTP server in APP_ROLE=worker)\n');
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(`WestWallet could not start: ${message}`);
});
