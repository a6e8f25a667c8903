// Mounts the React UI inside Mantine's provider: light or dark as the system says, and no <style> element written at run time.
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { theme } from './theme.ts';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      {/*
        The CSP allows styles from our own files only (style-src 'self', no 'unsafe-inline'): Mantine's run-time <style>
        elements are turned off. Its default CSS variables come with @mantine/core/styles.css (a build-time file), the few the
        theme changes are in styles.css, and its responsive classes (hiddenFrom/visibleFrom) are not used. Style props and
        `style` attributes set from React go through the CSSOM, which a CSP does not block.
      */}
      <MantineProvider theme={theme} defaultColorScheme="auto" withCssVariables={false} withGlobalClasses={false}>
        <App />
      </MantineProvider>
    </StrictMode>,
  );
