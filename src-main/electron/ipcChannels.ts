/** IPC channel names shared by the main process and the preload script. */
export const IPC_CALL = 'flowlab:call';
export const IPC_EVENT = 'flowlab:event';
export const IPC_METHODS = 'flowlab:methods';
/** The custom scheme and host the app's pages load from (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowlab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
