import * as undici from 'undici-v7';
import { describeOwnUndici, type UndiciModule } from './own-undici.ts';

describeOwnUndici('undici 7', undici as unknown as UndiciModule);
