import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { formatDate, lastDay, useI18n } from '../lib/i18n';
import { Link, navigate, useRoute } from '../lib/router';
import { Async, Badge, Empty, useAsync } from '../lib/ui';

type Query = NonNullable<operations['BillingAdminController_accounts']['parameters']['query']>;
type Plan = Schemas['AccountPageResponseDto']['items'][number]['plan'];
type Status = Schemas['AccountPageResponseDto']['items'][number]['billingStatus'];

const PLANS: Plan[] = ['pro', 'trial', 'free'];
const STATUSES: Status[] = ['active', 'past_due', 'suspended'];
const SORTS = [
  '-createdAt',
  'createdAt',
  'name',
  '-name',
  'periodEnd',
  '-periodEnd',
  'graceUntil',
  '-graceUntil',
  'trialEnd',
  '-trialEnd',
] as const;
type Sort = (typeof SORTS)[number];

export function AccountsPage() {
  const { t, lang } = useI18n();
  const { query } = useRoute();
  const q = query.get('q') ?? '';
  const plan = (query.get('plan') ?? '') as Plan | '';
  const status = (query.get('status') ?? '') as Status | '';
  const sort = (SORTS as readonly string[]).includes(query.get('sort') ?? '')
    ? (query.get('sort') as Sort)
    : '-createdAt';
  const cursor = query.get('cursor') ?? undefined;
  const [search, setSearch] = useState(q);

  const [state, retry] = useAsync(() => {
    const params: Query = { limit: 20, sort };
    if (q) params.q = q;
    if (plan) params.plan = plan;
    if (status) params.status = status;
    if (cursor) params.cursor = cursor;
    return call(() => api.GET('/api/v1/admin/billing/accounts', { params: { query: params } }));
  }, [q, plan, status, sort, cursor]);

  const go = (change: Record<string, string>) => {
    const next = new URLSearchParams({ q, plan, status, sort, ...change });
    if (!('cursor' in change)) next.delete('cursor');
    for (const [key, value] of [...next.entries()]) if (!value) next.delete(key);
    navigate(`/accounts?${next.toString()}`);
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('accounts')}</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search.trim() });
        }}
      >
        <label class="field">
          <span>{t('search')}</span>
          <input
            type="search"
            name="q"
            placeholder={t('searchHint')}
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
            data-testid="account-search"
          />
        </label>
        <label class="field">
          <span>{t('plan')}</span>
          <select value={plan} onChange={(e) => go({ plan: e.currentTarget.value })} name="plan">
            <option value="">{t('all')}</option>
            {PLANS.map((p) => (
              <option value={p}>{t(p)}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('status')}</span>
          <select value={status} onChange={(e) => go({ status: e.currentTarget.value })} name="status">
            <option value="">{t('all')}</option>
            {STATUSES.map((s) => (
              <option value={s}>{t(s)}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('sort')}</span>
          <select value={sort} onChange={(e) => go({ sort: e.currentTarget.value })} name="sort">
            {SORTS.map((s) => (
              <option value={s}>{sortLabel(s, t)}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">
          {t('search')}
        </button>
      </form>
      <Async state={state} retry={retry}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty />
          ) : (
            <>
              <table class="table" data-testid="accounts-table">
                <thead>
                  <tr>
                    <th scope="col">{t('name')}</th>
                    <th scope="col">{t('owner')}</th>
                    <th scope="col">{t('plan')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('periodEnd')}</th>
                    <th scope="col">{t('trialEnd')}</th>
                    <th scope="col">{t('latestInvoice')}</th>
                    <th scope="col">{t('created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((a) => (
                    <tr key={a.organizationId}>
                      <td>
                        <Link to={`/accounts/${a.organizationId}`}>{a.name}</Link>
                        <div class="muted small">{a.organizationId}</div>
                      </td>
                      <td>{a.ownerEmail ?? '–'}</td>
                      <td>
                        <Badge value={a.plan} />
                      </td>
                      <td>
                        <Badge value={a.billingStatus} />
                      </td>
                      <td>{lastDay(a.periodEnd)}</td>
                      <td>{lastDay(a.trialEnd)}</td>
                      <td>
                        {a.latestInvoice ? (
                          <>
                            {a.latestInvoice.invoiceId} <Badge value={a.latestInvoice.status} />
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                      <td>{formatDate(a.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div class="pager">
                {cursor && (
                  <button type="button" class="secondary" onClick={() => go({ cursor: '' })}>
                    {t('firstPage')}
                  </button>
                )}
                {page.nextCursor && (
                  <button type="button" class="secondary" onClick={() => go({ cursor: page.nextCursor! })}>
                    {t('nextPage')} →
                  </button>
                )}
                <span class="muted small">
                  {lang === 'sv' ? `${page.items.length} på sidan` : `${page.items.length} on this page`}
                </span>
              </div>
            </>
          )
        }
      </Async>
    </section>
  );
}

function sortLabel(sort: Sort, t: ReturnType<typeof useI18n>['t']): string {
  const field = sort.replace(/^-/, '');
  const key = field === 'createdAt' ? 'created' : (field as 'name' | 'periodEnd' | 'graceUntil' | 'trialEnd');
  return `${t(key)} ${sort.startsWith('-') ? '↓' : '↑'}`;
}
