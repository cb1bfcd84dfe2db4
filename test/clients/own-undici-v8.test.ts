import * as undici from 'undici';
import { describeOwnUndici, type UndiciModule } from './own-undici.ts';

describeOwnUndici('undici 8', undici as unknown as UndiciModule);
