import { api, call } from '../api/client';
import { formatMoney, useI18n } from '../lib/i18n';
import { Link } from '../lib/router';
import { Async, useAsync } from '../lib/ui';

export function OverviewPage() {
  const { t, lang } = useI18n();
  const [state, retry] = useAsync(
    () =>
      Promise.all([
        call(() => api.GET('/api/v1/admin/billing/overview')),
        call(() => api.GET('/api/v1/admin/billing/figures', { params: { query: {} } })),
      ]),
    [],
  );
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('overview')}</h1>
      <Async state={state} retry={retry}>
        {([counts, figures]) => (
          <div class="cards" data-testid="overview">
            <article class="card">
              <h2>{t('byPlan')}</h2>
              <dl class="figures">
                <Figure label={t('pro')} value={counts.pro} to="/accounts?plan=pro" />
                <Figure label={t('trial')} value={counts.trial} to="/accounts?plan=trial" />
                <Figure label={t('free')} value={counts.free} to="/accounts?plan=free" />
                <Figure label={t('total')} value={counts.total} to="/accounts" />
              </dl>
            </article>
            <article class="card">
              <h2>{t('byStatus')}</h2>
              <dl class="figures">
                <Figure
                  label={t('past_due')}
                  value={counts.past_due}
                  to="/accounts?status=past_due"
                  tone="warning"
                />
                <Figure
                  label={t('suspended')}
                  value={counts.suspended}
                  to="/accounts?status=suspended"
                  tone="error"
                />
              </dl>
            </article>
            <article class="card">
              <h2>{t('trialsEnding')}</h2>
              <p class="big" data-testid="trials-ending">
                {figures.trialsEnding.count}
              </p>
              <p class="muted">
                {figures.trialsEnding.from} – {figures.trialsEnding.to} ·{' '}
                <Link to="/accounts?plan=trial&sort=trialEnd">{t('accounts')}</Link>
              </p>
            </article>
            <article class="card">
              <h2>{t('revenue')}</h2>
              <p class="big" data-testid="revenue">
                {formatMoney(figures.revenue.amount, lang, figures.revenue.currency)}
              </p>
              <p class="muted">
                {figures.revenue.month} · {figures.revenue.invoices} {t('invoicesCount')}
              </p>
            </article>
          </div>
        )}
      </Async>
    </section>
  );
}

function Figure({ label, value, to, tone }: { label: string; value: number; to: string; tone?: string }) {
  return (
    <div class={`figure ${tone ?? ''}`}>
      <dt>{label}</dt>
      <dd>
        <Link to={to}>{value}</Link>
      </dd>
    </div>
  );
}
