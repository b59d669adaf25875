// The read-only scheme received messages (capture inbox, sent copies) open under: kept apart from the
// preview panel so that code on the activation path can recognise them without loading the panel.
export const CAPTURED_SCHEME = 'mailsmith-captured';
