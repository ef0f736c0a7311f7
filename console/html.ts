/** Preact with htm: JSX-like templates in tagged strings, no JSX compiler. */
export { html } from 'htm/preact';
export { render } from 'preact';
export type { ComponentChildren, VNode } from 'preact';
export { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
