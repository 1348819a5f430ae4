import { useEffect } from "react";
import type { ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { FullPageSpin, ForbiddenResult, LoadError } from "../components/StatusResults";
import { changeLanguage, currentLanguage, normalizeLanguage } from "./i18n";
import { SessionContext, useCan, useMeQuery, useSetupStatusQuery } from "./session";

/** Sends everyone to the first-run setup page until a workspace exists. */
export function SetupGate() {
  const setup = useSetupStatusQuery();
  const location = useLocation();
  if (setup.isPending) {
    return <FullPageSpin />;
  }
  if (setup.isError) {
    return <LoadError onRetry={() => void setup.refetch()} />;
  }
  const onSetupPage = location.pathname === "/setup";
  if (setup.data.needsSetup && !onSetupPage) {
    return <Navigate to="/setup" replace />;
  }
  if (!setup.data.needsSetup && onSetupPage) {
    return <Navigate to="/" replace />;
  }
  return <Outlet />;
}

/** Renders the signed-in area, or redirects to the login page. */
export function RequireAuth() {
  const me = useMeQuery();
  const location = useLocation();
  const savedLocale = normalizeLanguage(me.data?.user.locale);

  useEffect(() => {
    if (savedLocale && savedLocale !== currentLanguage()) {
      void changeLanguage(savedLocale, true);
    }
  }, [savedLocale]);

  if (me.isPending) {
    return <FullPageSpin />;
  }
  if (me.isError) {
    return <LoadError onRetry={() => void me.refetch()} />;
  }
  if (!me.data) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return (
    <SessionContext value={me.data}>
      <Outlet />
    </SessionContext>
  );
}

/** Shows a 403 page instead of `children` when the user lacks `permission`. */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const can = useCan();
  if (!can(permission)) {
    return <ForbiddenResult />;
  }
  return children;
}
