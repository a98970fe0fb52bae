import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useI18n, type Key } from './i18n';

export type AsyncState<T> =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; data: T };

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'CLIENT_ERROR', error instanceof Error ? error.message : String(error));
}

/** Loads on mount and whenever `deps` change; `reload()` loads again. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    load().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [state, useCallback(() => setTick((n) => n + 1), [])];
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="state loading" role="status" aria-live="polite">
      {t('loading')}
    </p>
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  const { t } = useI18n();
  return <p class="state empty">{children ?? t('empty')}</p>;
}

/** The API's error `code` and `message`, never a blank page. */
export function ErrorBox({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = error.code === 'NOT_PLATFORM_ADMIN' ? t('notAdmin') : error.message;
  return (
    <div class="state error" role="alert" data-testid="api-error">
      <strong>{t('errorTitle')}</strong>
      <p>
        <code class="error-code">{error.code}</code> <span class="error-message">{message}</span>
      </p>
      {error.requestId && <p class="muted">requestId: {error.requestId}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Renders the state: loading, the API's error, or the data. */
export function Async<T>({
  state,
  retry,
  children,
}: {
  state: AsyncState<T>;
  retry?: () => void;
  children: (data: T) => ComponentChildren;
}) {
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorBox error={state.error} onRetry={retry} />;
  return <>{children(state.data)}</>;
}

export function Badge({ value, tone }: { value: string; tone?: string }) {
  const { label } = useI18n();
  return <span class={`badge badge-${tone ?? value}`}>{label(value)}</span>;
}

/**
 * A confirmation step: a native modal <dialog> (focus moves into it, Esc cancels, focus returns after). While the
 * action runs the buttons are disabled; its error is shown inside the dialog with the API's code and message.
 */
export function ConfirmDialog({
  title,
  children,
  onConfirm,
  onClose,
  confirmLabel,
}: {
  title: string;
  children: ComponentChildren;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  confirmLabel?: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="dialog-title"
      onClose={onClose}
      data-testid="confirm-dialog"
    >
      <h2 id="dialog-title">{title}</h2>
      <div class="dialog-body">{children}</div>
      {error && <ErrorBox error={error} />}
      <div class="dialog-buttons">
        <button type="button" class="secondary" onClick={onClose} disabled={busy}>
          {t('cancel')}
        </button>
        <button type="button" class="primary" onClick={confirm} disabled={busy} data-testid="confirm">
          {busy ? t('loading') : (confirmLabel ?? t('confirm'))}
        </button>
      </div>
    </dialog>
  );
}

export function Field({ label, children }: { label: Key; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <label class="field">
      <span>{t(label)}</span>
      {children}
    </label>
  );
}
