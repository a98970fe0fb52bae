import { api, call } from '../api/client';
import { formatDateTime, useI18n } from '../lib/i18n';
import { Async, Badge, useAsync } from '../lib/ui';

/** System health from GET /api/v1/admin/system: every component's status, reasons and measurements. */
export function SystemPage() {
  const { t, lang } = useI18n();
  const [state, retry] = useAsync(() => call(() => api.GET('/api/v1/admin/system')), []);
  return (
    <section aria-labelledby="page-title">
      <div class="title-row">
        <h1 id="page-title">{t('system')}</h1>
        <button type="button" class="secondary" onClick={retry}>
          {t('refresh')}
        </button>
      </div>
      <Async state={state} retry={retry}>
        {(report) => (
          <>
            <p data-testid="system-status">
              <Badge value={report.status} /> · {report.role} · v{report.version} · {t('checkedAt')}{' '}
              {formatDateTime(report.checkedAt, lang)}
            </p>
            {report.reasons.length > 0 && (
              <div class="notice warning">
                <strong>{t('reasons')}</strong>
                <ul>
                  {report.reasons.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              </div>
            )}
            <h2>{t('components')}</h2>
            <div class="cards">
              {Object.entries(report.components).map(([name, component]) => (
                <article class="card" key={name} data-testid={`component-${name}`}>
                  <h3>
                    {name} <Badge value={component.status} />
                  </h3>
                  {component.reasons.length > 0 && (
                    <ul class="plain small">
                      {component.reasons.map((r, i) => (
                        <li key={i}>{r}</li>
                      ))}
                    </ul>
                  )}
                  <details>
                    <summary>{t('details')}</summary>
                    <pre class="small">{JSON.stringify(component.details, null, 2)}</pre>
                  </details>
                </article>
              ))}
            </div>
          </>
        )}
      </Async>
    </section>
  );
}
