import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { formatDate, formatMoney, lastDay, useI18n } from '../lib/i18n';
import { Link } from '../lib/router';
import { Async, Badge, ConfirmDialog, Empty, useAsync } from '../lib/ui';

type User = Schemas['AdminUserResponseDto'];
type Query = NonNullable<operations['AdminUsersController_list']['parameters']['query']>;

export function UsersPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [filter, setFilter] = useState<{ email: string; deleted: '' | 'true' | 'false' }>({
    email: '',
    deleted: '',
  });
  const [cursors, setCursors] = useState<string[]>([]);
  const [target, setTarget] = useState<{ user: User; op: 'delete' | 'restore' } | null>(null);
  const cursor = cursors[cursors.length - 1];
  const [state, retry] = useAsync(() => {
    const query: Query = { limit: 20 };
    if (filter.email) query.email = filter.email;
    if (filter.deleted) query.deleted = filter.deleted;
    if (cursor) query.cursor = cursor;
    return call(() => api.GET('/api/v1/admin/users', { params: { query } }));
  }, [filter.email, filter.deleted, cursor]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('users')}</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setCursors([]);
          setFilter({ ...filter, email: email.trim() });
        }}
      >
        <label class="field">
          <span>{t('email')}</span>
          <input
            type="search"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            data-testid="user-search"
          />
        </label>
        <label class="field">
          <span>{t('showDeleted')}</span>
          <select
            value={filter.deleted}
            onChange={(e) => {
              setCursors([]);
              setFilter({ ...filter, deleted: e.currentTarget.value as '' | 'true' | 'false' });
            }}
          >
            <option value="">{t('all')}</option>
            <option value="false">{t('onlyActive')}</option>
            <option value="true">{t('onlyDeleted')}</option>
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
              <table class="table" data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">{t('name')}</th>
                    <th scope="col">{t('email')}</th>
                    <th scope="col">{t('role')}</th>
                    <th scope="col">{t('created')}</th>
                    <th scope="col">{t('organizations')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((u) => (
                    <tr key={u.id} class={u.isDeleted ? 'deleted' : ''}>
                      <td>
                        {u.name}
                        {u.isDeleted && (
                          <>
                            {' '}
                            <span class="badge badge-error">
                              {t('deleted')} {formatDate(u.deletedAt)}
                            </span>
                          </>
                        )}
                      </td>
                      <td>{u.email}</td>
                      <td>{u.role}</td>
                      <td>{formatDate(u.createdAt)}</td>
                      <td>
                        <UserOrganizations email={u.email} />
                      </td>
                      <td>
                        {u.isDeleted ? (
                          <button type="button" onClick={() => setTarget({ user: u, op: 'restore' })}>
                            {t('restore')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            class="danger"
                            onClick={() => setTarget({ user: u, op: 'delete' })}
                          >
                            {t('softDelete')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div class="pager">
                {cursors.length > 0 && (
                  <button type="button" class="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                    ←
                  </button>
                )}
                {page.nextCursor && (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => setCursors([...cursors, page.nextCursor!])}
                  >
                    {t('nextPage')} →
                  </button>
                )}
              </div>
            </>
          )
        }
      </Async>
      {target && (
        <ConfirmDialog
          title={`${target.op === 'delete' ? t('softDelete') : t('restore')}: ${target.user.email}`}
          onClose={() => setTarget(null)}
          onConfirm={async () => {
            const path = { id: target.user.id };
            if (target.op === 'delete')
              await call(() => api.DELETE('/api/v1/admin/users/{id}', { params: { path } }));
            else await call(() => api.POST('/api/v1/admin/users/{id}/restore', { params: { path } }));
            retry();
          }}
        >
          <p>{target.user.name}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The organizations a user owns, with trial status and latest payment (the accounts search by owner email). */
function UserOrganizations({ email }: { email: string }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" class="link" onClick={() => setOpen(true)} aria-expanded="false">
        {t('showOrgs')}
      </button>
    );
  return <OrgList email={email} lang={lang} t={t} />;
}

function OrgList({
  email,
  lang,
  t,
}: {
  email: string;
  lang: 'sv' | 'en';
  t: ReturnType<typeof useI18n>['t'];
}) {
  const [state, retry] = useAsync(
    () =>
      call(() =>
        api.GET('/api/v1/admin/billing/accounts', {
          params: { query: { q: email, limit: 10, sort: 'name' } },
        }),
      ),
    [email],
  );
  return (
    <Async state={state} retry={retry}>
      {(page) => {
        const owned = page.items.filter((a) => a.ownerEmail === email);
        return owned.length === 0 ? (
          <Empty />
        ) : (
          <ul class="plain small">
            {owned.map((a) => (
              <li key={a.organizationId}>
                <Link to={`/accounts/${a.organizationId}`}>{a.name}</Link> <Badge value={a.plan} />{' '}
                <Badge value={a.billingStatus} />
                {a.plan === 'trial' && ` · ${t('trialEnd')} ${lastDay(a.trialEnd)}`}
                {a.latestInvoice &&
                  ` · ${a.latestInvoice.invoiceId} ${formatMoney(a.latestInvoice.amount, lang, a.latestInvoice.currency)} ${t(a.latestInvoice.status)}${
                    a.latestInvoice.paidAt ? ` ${formatDate(a.latestInvoice.paidAt)}` : ''
                  }`}
              </li>
            ))}
          </ul>
        );
      }}
    </Async>
  );
}
