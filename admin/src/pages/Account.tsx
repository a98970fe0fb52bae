import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { formatDate, formatDateTime, formatMoney, lastDay, today, useI18n } from '../lib/i18n';
import { Link } from '../lib/router';
import { Async, Badge, ConfirmDialog, Empty, useAsync } from '../lib/ui';

type View = Schemas['BillingViewResponseDto'];
type Action = 'pro' | 'trial' | 'downgrade' | 'invoice' | { paid: string };

export function AccountPage({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const [state, retry] = useAsync(
    () => call(() => api.GET('/api/v1/admin/billing/accounts/{orgId}', { params: { path: { orgId } } })),
    [orgId],
  );
  const [action, setAction] = useState<Action | null>(null);
  const [after, setAfter] = useState<{ label: string; view: View | null; invoice?: string } | null>(null);
  return (
    <section aria-labelledby="page-title">
      <p>
        <Link to="/accounts">← {t('back')}</Link>
      </p>
      <Async state={state} retry={retry}>
        {(detail) => (
          <>
            <h1 id="page-title">{detail.organization.name}</h1>
            <p class="muted">
              {detail.organization.id} · {detail.organization.type} · {t('created')}{' '}
              {formatDate(detail.organization.createdAt)}
            </p>
            {after && <StateAfter {...after} onClose={() => setAfter(null)} />}
            <div class="cards">
              <article class="card" data-testid="account-state">
                <h2>{t('status')}</h2>
                <StateList view={detail.account} />
              </article>
              <article class="card">
                <h2>{t('banner')}</h2>
                <BannerPreview view={detail.account} />
              </article>
              <article class="card">
                <h2>{t('owners')}</h2>
                {detail.owners.length ? (
                  <ul class="plain">
                    {detail.owners.map((o) => (
                      <li key={o.userId}>
                        {o.name} &lt;{o.email}&gt;
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty />
                )}
              </article>
            </div>
            <h2>{t('actions')}</h2>
            <div class="actions">
              <button type="button" class="primary" onClick={() => setAction('pro')} data-testid="action-pro">
                {t('givePro')}
              </button>
              <button type="button" onClick={() => setAction('trial')} data-testid="action-trial">
                {t('startTrial')}
              </button>
              <button type="button" onClick={() => setAction('downgrade')} data-testid="action-downgrade">
                {t('downgrade')}
              </button>
              <button type="button" onClick={() => setAction('invoice')} data-testid="action-invoice">
                {t('registerInvoice')}
              </button>
            </div>
            <h2>{t('invoices')}</h2>
            <Invoices view={detail.account} onMarkPaid={(invoiceId) => setAction({ paid: invoiceId })} />
            <h2>{t('notices')}</h2>
            {detail.notices.length ? (
              <ul class="plain">
                {detail.notices.map((n, i) => (
                  <li key={i}>
                    {formatDate(n.at)} · {n.type} · {n.kind}
                  </li>
                ))}
              </ul>
            ) : (
              <Empty />
            )}
            {action && (
              <ActionDialog
                orgId={orgId}
                action={action}
                onClose={() => setAction(null)}
                onDone={(result) => {
                  setAfter(result);
                  retry();
                }}
              />
            )}
          </>
        )}
      </Async>
    </section>
  );
}

function StateList({ view }: { view: View }) {
  const { t } = useI18n();
  return (
    <dl class="facts">
      <dt>{t('plan')}</dt>
      <dd data-testid="plan">
        <Badge value={view.plan} />
      </dd>
      <dt>{t('status')}</dt>
      <dd data-testid="billing-status">
        <Badge value={view.billingStatus} />
      </dd>
      <dt>{t('access')}</dt>
      <dd>
        <Badge value={view.access} />
      </dd>
      <dt>{t('periodEnd')}</dt>
      <dd data-testid="period-end">{lastDay(view.periodEnd)}</dd>
      <dt>{t('graceUntil')}</dt>
      <dd>{lastDay(view.graceUntil)}</dd>
      <dt>{t('trialEnd')}</dt>
      <dd>{lastDay(view.trialEnd)}</dd>
      <dt>{t('paidPeriod')}</dt>
      <dd>{view.currentPeriodPaid ? t('yes') : t('no')}</dd>
    </dl>
  );
}

function BannerPreview({ view }: { view: View }) {
  const { t, lang } = useI18n();
  if (!view.banner) return <p class="muted">{t('noBanner')}</p>;
  return (
    <div class={`customer-banner ${view.banner.level}`} data-testid="banner">
      <p>{view.banner.message[lang]}</p>
      <p class="muted small">
        {view.banner.code}
        {view.banner.daysLeft !== null && ` · ${view.banner.daysLeft} ${t('daysLeft')}`}
      </p>
    </div>
  );
}

function Invoices({ view, onMarkPaid }: { view: View; onMarkPaid: (invoiceId: string) => void }) {
  const { t, lang } = useI18n();
  if (!view.invoices.length) return <Empty />;
  return (
    <table class="table" data-testid="invoices-table">
      <thead>
        <tr>
          <th scope="col">{t('invoiceNo')}</th>
          <th scope="col">{t('amount')}</th>
          <th scope="col">{t('dueDate')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('paidAt')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {view.invoices.map((inv) => (
          <tr key={inv.id}>
            <td>{inv.invoiceId}</td>
            <td class="num">{formatMoney(inv.amount, lang, inv.currency)}</td>
            <td>
              {inv.dueDate}
              {inv.overdue && <span class="badge badge-error"> {t('overdue')}</span>}
            </td>
            <td>
              <Badge value={inv.status} />
            </td>
            <td>{formatDateTime(inv.paidAt, lang)}</td>
            <td>
              {inv.status === 'open' && (
                <button
                  type="button"
                  onClick={() => onMarkPaid(inv.invoiceId)}
                  data-testid={`mark-paid-${inv.invoiceId}`}
                >
                  {t('markPaid')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StateAfter({
  label,
  view,
  invoice,
  onClose,
}: {
  label: string;
  view: View | null;
  invoice?: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <div class="notice success" role="status" data-testid="state-after">
      <div>
        <strong>
          {t('done')}: {label}
        </strong>
        {invoice && <p>{invoice}</p>}
        {view && (
          <p>
            {t('stateAfter')}: <Badge value={view.plan} /> <Badge value={view.billingStatus} /> ·{' '}
            {t('periodEnd')} {lastDay(view.periodEnd)} · {t('trialEnd')} {lastDay(view.trialEnd)}
          </p>
        )}
      </div>
      <button type="button" class="secondary" onClick={onClose}>
        ✕<span class="visually-hidden">{t('cancel')}</span>
      </button>
    </div>
  );
}

function ActionDialog({
  orgId,
  action,
  onClose,
  onDone,
}: {
  orgId: string;
  action: Action;
  onClose: () => void;
  onDone: (after: { label: string; view: View | null; invoice?: string }) => void;
}) {
  const { t, lang } = useI18n();
  const path = { orgId };
  const [periodEnd, setPeriodEnd] = useState('');
  const [days, setDays] = useState('');
  const [reason, setReason] = useState('');
  const [invoiceId, setInvoiceId] = useState('');
  const [amount, setAmount] = useState('');
  const [dueDate, setDueDate] = useState(today());
  const [paidAt, setPaidAt] = useState('');

  if (typeof action === 'object') {
    return (
      <ConfirmDialog
        title={`${t('markPaid')}: ${action.paid}`}
        onClose={onClose}
        onConfirm={async () => {
          const view = await call(() =>
            api.POST('/api/v1/admin/billing/accounts/{orgId}/invoices/{invoiceId}/paid', {
              params: { path: { orgId, invoiceId: action.paid } },
              body: paidAt ? { paidAt } : {},
            }),
          );
          onDone({ label: `${t('markPaid')} ${action.paid}`, view });
        }}
      >
        <p>
          {lang === 'sv'
            ? 'Fakturan markeras betald: kontot får Pro och status aktiv.'
            : 'The invoice is marked paid: the account gets Pro and status active.'}
        </p>
        <label class="field">
          <span>{t('paidAt')}</span>
          <input type="date" value={paidAt} max={today()} onInput={(e) => setPaidAt(e.currentTarget.value)} />
        </label>
      </ConfirmDialog>
    );
  }
  switch (action) {
    case 'pro':
      return (
        <ConfirmDialog
          title={t('givePro')}
          onClose={onClose}
          onConfirm={async () => {
            const view = await call(() =>
              api.POST('/api/v1/admin/billing/accounts/{orgId}/pro', {
                params: { path },
                body: periodEnd ? { periodEnd } : {},
              }),
            );
            onDone({ label: t('givePro'), view });
          }}
        >
          <p>
            {lang === 'sv'
              ? 'Kontot får Pro nu och faktureras i efterhand.'
              : 'The account gets Pro now and is invoiced afterwards.'}
          </p>
          <label class="field">
            <span>{t('periodEnd')}</span>
            <input
              type="date"
              name="periodEnd"
              value={periodEnd}
              min={today()}
              onInput={(e) => setPeriodEnd(e.currentTarget.value)}
              data-testid="pro-period-end"
            />
          </label>
          <p class="muted small">
            {lang === 'sv'
              ? 'Tomt: i dag plus policyns periodlängd.'
              : 'Empty: today plus the policy period length.'}
          </p>
        </ConfirmDialog>
      );
    case 'trial':
      return (
        <ConfirmDialog
          title={t('startTrial')}
          onClose={onClose}
          onConfirm={async () => {
            const view = await call(() =>
              api.POST('/api/v1/admin/billing/accounts/{orgId}/trial', {
                params: { path },
                body: days ? { days: Number(days) } : {},
              }),
            );
            onDone({ label: t('startTrial'), view });
          }}
        >
          <label class="field">
            <span>{t('days')}</span>
            <input
              type="number"
              min={1}
              max={365}
              value={days}
              onInput={(e) => setDays(e.currentTarget.value)}
            />
          </label>
          <p class="muted small">
            {lang === 'sv' ? 'Tomt: policyns provperiod.' : 'Empty: the policy trial length.'}
          </p>
        </ConfirmDialog>
      );
    case 'downgrade':
      return (
        <ConfirmDialog
          title={t('downgrade')}
          onClose={onClose}
          onConfirm={async () => {
            const view = await call(() =>
              api.POST('/api/v1/admin/billing/accounts/{orgId}/downgrade', {
                params: { path },
                body: reason.trim() ? { reason: reason.trim() } : {},
              }),
            );
            onDone({ label: t('downgrade'), view });
          }}
        >
          <p>
            {lang === 'sv'
              ? 'Kontot flyttas till gratisplanen (status aktiv).'
              : 'The account moves to the free plan (status active).'}
          </p>
          <label class="field">
            <span>{t('reason')}</span>
            <input
              type="text"
              maxLength={300}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
        </ConfirmDialog>
      );
    case 'invoice':
      return (
        <ConfirmDialog
          title={t('registerInvoice')}
          onClose={onClose}
          onConfirm={async () => {
            const invoice = await call(() =>
              api.POST('/api/v1/admin/billing/accounts/{orgId}/invoices', {
                params: { path },
                body: {
                  invoiceId: invoiceId.trim(),
                  amount: Math.round(Number(amount.replace(',', '.')) * 100),
                  dueDate,
                },
              }),
            );
            onDone({
              label: t('registerInvoice'),
              view: null,
              invoice: `${invoice.invoiceId} · ${formatMoney(invoice.amount, lang, invoice.currency)} · ${t('dueDate')} ${invoice.dueDate}`,
            });
          }}
        >
          <label class="field">
            <span>{t('invoiceNo')}</span>
            <input
              type="text"
              name="invoiceId"
              value={invoiceId}
              onInput={(e) => setInvoiceId(e.currentTarget.value)}
              data-testid="invoice-id"
            />
          </label>
          <label class="field">
            <span>{t('amountKr')}</span>
            <input
              type="text"
              inputMode="decimal"
              name="amount"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
              data-testid="invoice-amount"
            />
          </label>
          <label class="field">
            <span>{t('dueDate')}</span>
            <input
              type="date"
              name="dueDate"
              value={dueDate}
              onInput={(e) => setDueDate(e.currentTarget.value)}
              data-testid="invoice-due"
            />
          </label>
        </ConfirmDialog>
      );
  }
}
