import { useEffect, useMemo, useState } from 'preact/hooks';
import { resume, setSignedOutHandler, signIn, signOut, type Schemas } from './api/client';
import { I18nContext, makeI18n, useI18n, type Key, type Lang } from './lib/i18n';
import { Link, RouterProvider, useRoute } from './lib/router';
import { asApiError, ErrorBox, Loading } from './lib/ui';
import type { ApiError } from './api/client';
import { OverviewPage } from './pages/Overview';
import { AccountsPage } from './pages/Accounts';
import { AccountPage } from './pages/Account';
import { PolicyPage } from './pages/Policy';
import { UsersPage } from './pages/Users';
import { SystemPage } from './pages/System';
import { AuditPage } from './pages/Audit';

type Me = Schemas['MeResponseDto'];
const LANG_KEY = 'ww-admin-lang';

export function App() {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'sv'));
  const i18n = useMemo(
    () =>
      makeI18n(lang, (next) => {
        localStorage.setItem(LANG_KEY, next);
        setLangState(next);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('appTitle');
  }, [lang]);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    setSignedOutHandler(() => setMe(null));
    resume().then(setMe, () => setMe(null));
  }, []);
  return (
    <I18nContext.Provider value={i18n}>
      <RouterProvider>
        {me === undefined ? (
          <Loading />
        ) : me === null ? (
          <SignIn onSignedIn={setMe} />
        ) : (
          <Shell me={me} onSignedOut={() => setMe(null)} />
        )}
      </RouterProvider>
    </I18nContext.Provider>
  );
}

function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label class="lang">
      <span class="visually-hidden">{t('language')}</span>
      <select
        value={lang}
        onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}
        data-testid="lang"
      >
        <option value="sv">Svenska</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(email, password));
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <div class="signin-card">
        <div class="signin-head">
          <h1>{t('appTitle')}</h1>
          <LangSwitch />
        </div>
        <form onSubmit={submit}>
          <label class="field">
            <span>{t('email')}</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>{t('password')}</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </button>
        </form>
        {error && <ErrorBox error={error} />}
      </div>
    </main>
  );
}

const NAV: { to: string; key: Key }[] = [
  { to: '/', key: 'overview' },
  { to: '/accounts', key: 'accounts' },
  { to: '/policy', key: 'policy' },
  { to: '/users', key: 'users' },
  { to: '/system', key: 'system' },
  { to: '/audit', key: 'audit' },
];

function Shell({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const { t } = useI18n();
  const { path } = useRoute();
  const section = '/' + (path.split('/')[1] ?? '');
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header class="topbar">
        <strong class="brand">{t('appTitle')}</strong>
        <nav aria-label={t('nav')}>
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} current={section === item.to}>
                  {t(item.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="muted">{me.email}</span>
          <LangSwitch />
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await signOut();
              onSignedOut();
            }}
          >
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </div>
  );
}

function Page({ path }: { path: string }) {
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account) return <AccountPage orgId={decodeURIComponent(account[1]!)} />;
  switch (path) {
    case '/':
      return <OverviewPage />;
    case '/accounts':
      return <AccountsPage />;
    case '/policy':
      return <PolicyPage />;
    case '/users':
      return <UsersPage />;
    case '/system':
      return <SystemPage />;
    case '/audit':
      return <AuditPage />;
    default:
      return (
        <ErrorBox
          error={
            { code: 'NOT_FOUND', message: path, status: 404, requestId: null, name: 'ApiError' } as ApiError
          }
        />
      );
  }
}
