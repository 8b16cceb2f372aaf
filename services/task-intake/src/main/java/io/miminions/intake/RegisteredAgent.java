package io.miminions.intake;

import io.miminions.model.AgentStatus;
import io.miminions.model.api.AgentView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An agent registered with the fleet, and the last status its host reported. */
@Entity
@Table(name = "agents")
public class RegisteredAgent {

    @Id
    @Column(name = "agent_id")
    public String agentId;

    @Column(nullable = false)
    public String name;

    @Column(name = "agent_type", nullable = false)
    public String agentType;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> config;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AgentStatus status;

    /** What the last lifecycle request asked for: the status lifecycle rules are checked against. */
    @Enumerated(EnumType.STRING)
    @Column(name = "desired_status", nullable = false)
    public AgentStatus desiredStatus;

    /** The run of the agent: each start begins a new one, and events of earlier runs are ignored. */
    @Column(nullable = false)
    public long generation;

    /** True from a start until the agent is reported stopped or failed: it counts against the concurrent-agents limit. */
    @Column(nullable = false)
    public boolean active;

    /** The agent host that reported running it. */
    @Column(name = "host_id")
    public String hostId;

    /** Why the agent failed, when it did. */
    @Column(length = 4000)
    public String reason;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public AgentView toView() {
        return new AgentView(agentId, name, agentType, config, status, desiredStatus, generation, hostId, reason, registeredAt, updatedAt);
    }
}
