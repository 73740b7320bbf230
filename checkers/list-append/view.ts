/** How a list-append result is shown: the transactional view (../txn/view.ts). */
import { txnView } from '../txn/view.js';
import { defineView } from '../view.js';
import type { ListAppendResult } from './index.js';

export const listAppendView = defineView<ListAppendResult>(txnView<ListAppendResult>('list-append'));
