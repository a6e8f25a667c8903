// The design system's settings: Mantine's defaults with system fonts and rounder corners. Colour values live in styles.css
// (the provider writes no CSS variables at run time, see main.tsx), so this keeps to what components read in JavaScript.
import { createTheme, Drawer, Modal } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  headings: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    // Scroll locking (react-remove-scroll) writes a <style> element at run time, which the CSP refuses (style-src 'self'):
    // dialogs leave the page behind them scrollable instead.
    Modal: Modal.extend({ defaultProps: { lockScroll: false } }),
    Drawer: Drawer.extend({ defaultProps: { lockScroll: false } }),
  },
});
