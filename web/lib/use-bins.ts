import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CreateBinInput } from '../../shared/api-types.js';
import { api } from './api.js';
import type { BinInfo } from './types.js';

export interface BinsState {
  bins: BinInfo[] | null;
  error: string | null;
  create(input: CreateBinInput): Promise<BinInfo>;
  remove(binId: string): Promise<void>;
}

/** The start page's bin list; `create` and `remove` keep it current. */
export function useBins(): BinsState {
  const [bins, setBins] = useState<BinInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.listBins().then(setBins, (e: Error) => setError(e.message));
  }, []);
  const create = useCallback(async (input: CreateBinInput) => {
    const bin = await api.createBin(input);
    setBins((list) => [bin, ...(list ?? [])]);
    return bin;
  }, []);
  const remove = useCallback(async (binId: string) => {
    await api.deleteBin(binId);
    setBins((list) => (list ?? []).filter((bin) => bin.id !== binId));
  }, []);
  return { bins, error, create, remove };
}
