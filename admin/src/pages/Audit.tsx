import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { formatDateTime, useI18n } from '../lib/i18n';
import { Async, Empty, ErrorBox, asApiError, useAsync } from '../lib/ui';
import type { ApiError } from '../api/client';

type Query = NonNullable<operations['AdminAuditController_search']['parameters']['query']>;
type Action = NonNullable<Query['action']>;
type Verification = Schemas['AuditVerifyResponseDto'];

export function AuditPage() {
  const { t, lang } = useI18n();
  const [chain, setChain] = useState('platform');
  const [action, setAction] = useState('');
  const [targetId, setTargetId] = useState('');
  const [filter, setFilter] = useState({ chain: 'platform', action: '', targetId: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifyError, setVerifyError] = useState<ApiError | null>(null);
  const [verifying, setVerifying] = useState(false);
  const cursor = cursors[cursors.length - 1];
  const [state, retry] = useAsync(() => {
    const query: Query = { organizationId: filter.chain, limit: 25 };
    if (filter.action) query.action = filter.action as Action;
    if (filter.targetId) query.targetId = filter.targetId;
    if (cursor) query.cursor = cursor;
    return call(() => api.GET('/api/v1/admin/audit', { params: { query } }));
  }, [filter.chain, filter.action, filter.targetId, cursor]);

  const verify = async () => {
    setVerifying(true);
    setVerification(null);
    setVerifyError(null);
    retry(); // the list as it is now, with the broken entry marked
    try {
      setVerification(
        await call(() =>
          api.GET('/api/v1/admin/audit/verify', {
            params: { query: { organizationId: chain.trim() || 'platform' } },
          }),
        ),
      );
    } catch (e) {
      setVerifyError(asApiError(e));
    }
    setVerifying(false);
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('audit')}</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setCursors([]);
          setFilter({ chain: chain.trim() || 'platform', action: action.trim(), targetId: targetId.trim() });
        }}
      >
        <label class="field">
          <span>{t('chain')}</span>
          <input
            type="text"
            value={chain}
            onInput={(e) => setChain(e.currentTarget.value)}
            data-testid="audit-chain"
          />
        </label>
        <label class="field">
          <span>{t('filterAction')}</span>
          <input type="text" value={action} onInput={(e) => setAction(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('target')}</span>
          <input type="text" value={targetId} onInput={(e) => setTargetId(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">
          {t('search')}
        </button>
        <button type="button" onClick={verify} disabled={verifying} data-testid="audit-verify">
          {verifying ? t('loading') : t('verify')}
        </button>
      </form>
      {verifyError && <ErrorBox error={verifyError} />}
      {verification && (
        <div
          class={`notice ${verification.valid ? 'success' : 'error'}`}
          role="status"
          data-testid="audit-verification"
        >
          <strong>
            {verification.valid ? t('chainValid') : t('chainBroken')} · {verification.organizationId} ·{' '}
            {verification.count} {t('entries')}
          </strong>
          {verification.brokenAt && (
            <p>
              {t('brokenAt')}: <code>{verification.brokenAt.id}</code> (seq {verification.brokenAt.seq}) ·{' '}
              <code>{verification.brokenAt.reason}</code>
            </p>
          )}
        </div>
      )}
      <Async state={state} retry={retry}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty />
          ) : (
            <>
              <table class="table" data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col">seq</th>
                    <th scope="col">{t('at')}</th>
                    <th scope="col">{t('action')}</th>
                    <th scope="col">{t('actor')}</th>
                    <th scope="col">{t('target')}</th>
                    <th scope="col">{t('details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr key={e.id} class={verification?.brokenAt?.id === e.id ? 'broken' : ''}>
                      <td class="num">{e.seq}</td>
                      <td>{formatDateTime(e.at, lang)}</td>
                      <td>
                        <code>{e.action}</code>
                      </td>
                      <td>{e.actorId ?? '–'}</td>
                      <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '–'}</td>
                      <td class="small">
                        {e.changes || e.metadata ? (
                          <details>
                            <summary>{t('details')}</summary>
                            <pre>{JSON.stringify(e.changes ?? e.metadata, null, 2)}</pre>
                          </details>
                        ) : (
                          '–'
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
    </section>
  );
}
