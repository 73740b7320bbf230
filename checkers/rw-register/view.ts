/** How an rw-register result is shown: the transactional view (../txn/view.ts). */
import { txnView } from '../txn/view.js';
import { defineView } from '../view.js';
import type { RwRegisterResult } from './index.js';

export const rwRegisterView = defineView<RwRegisterResult>(txnView<RwRegisterResult>('rw-register'));
