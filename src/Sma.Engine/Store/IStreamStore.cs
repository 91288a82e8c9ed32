using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>Stream records and checkpoints, written by the engine's group commit.</summary>
public interface IStreamStore
{
    /// <summary>Records in StreamRecordId order, read lazily so a huge job is never held in memory.</summary>
    IEnumerable<StreamRow> ReadStreams(Guid jobId, StreamType? type, DateTime? since);
    /// <summary>Applies many writes in one transaction (group commit), in order.</summary>
    void ApplyBatch(IReadOnlyList<StoreOp> ops);
}
