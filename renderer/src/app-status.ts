// The app status every page reads: what the core pushed last (or the first answer), and the one summary of it the badge shows.
import { createContext, useContext } from 'react';
import type { AppStatus } from '../../shared/contract/schemas.ts';

/** Undefined until the first answer arrives. */
export const AppStatusContext = createContext<AppStatus | undefined>(undefined);

export function useAppStatus(): AppStatus | undefined {
  return useContext(AppStatusContext);
}
